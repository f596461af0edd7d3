package dev.flywheel.router.decision;

import java.util.random.RandomGenerator;

/** Gamma and beta variates from any {@link RandomGenerator}, so that a seeded generator makes them repeatable. */
final class RandomVariates {

	private RandomVariates() {
	}

	/**
	 * A Gamma(shape, 1) variate by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000), boosted for shapes below 1
	 * by {@code Gamma(a) = Gamma(a + 1)·U^(1/a)}.
	 */
	static double gamma(double shape, RandomGenerator random) {
		if (!(shape > 0) || Double.isInfinite(shape)) {
			throw new IllegalArgumentException("A gamma shape must be positive and finite: " + shape);
		}
		if (shape < 1) {
			return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
		}
		double d = shape - 1.0 / 3;
		double c = 1 / Math.sqrt(9 * d);
		while (true) {
			double x = random.nextGaussian();
			double v = 1 + c * x;
			if (v <= 0) {
				continue;
			}
			v = v * v * v;
			double u = random.nextDouble();
			if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
				return d * v;
			}
		}
	}

	/** A Beta(a, b) variate as {@code X/(X + Y)} with X ~ Gamma(a), Y ~ Gamma(b). */
	static double beta(double a, double b, RandomGenerator random) {
		double x = gamma(a, random);
		double y = gamma(b, random);
		return x / (x + y);
	}

}
