package dev.flywheel.router.abtest;

import java.util.Locale;

/**
 * How requests are spread over the variants.
 *
 * @param mode fixed weights, or Thompson sampling
 * @param uniformShare for Thompson sampling, the share of requests assigned uniformly at random and used for the
 * decision; 0 for fixed allocation
 */
public record Allocation(Mode mode, double uniformShare) {

	/** §2.4 of statistics.md: keep a fixed uniform share for the decision when sampling adaptively. */
	public static final double DEFAULT_UNIFORM_SHARE = 0.2;

	public static final Allocation FIXED = new Allocation(Mode.FIXED, 0);

	public Allocation {
		if (mode == Mode.FIXED && uniformShare != 0) {
			throw new IllegalArgumentException("A fixed allocation has no uniform share: " + uniformShare);
		}
		if (mode == Mode.THOMPSON && !(uniformShare > 0 && uniformShare <= 1)) {
			throw new IllegalArgumentException("A uniform share lies in (0, 1]: " + uniformShare);
		}
	}

	public static Allocation thompson(double uniformShare) {
		return new Allocation(Mode.THOMPSON, uniformShare);
	}

	public enum Mode {

		FIXED, THOMPSON;

		public String apiName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
