package dev.flywheel.router.decision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The challenger's latency quantile (p99 by default) must stay within {@code bound}. A quantile is within the bound
 * exactly when the share of requests slower than the bound is at most {@code 1 - quantile}, so the guardrail tests
 * that share: each request is a 0/1 "slower than the bound" indicator (counted by the router against
 * {@link #bound()}), and the guardrail is breached when the always-valid interval on the share lies wholly above
 * {@code 1 - quantile}. This is a test against an absolute SLO; "within 1.1× the champion's p99" (§5.3) needs the
 * champion's quantile and is not tested here.
 * <p>
 * The interval is the normal-mixture sequence on one mean, so it inherits its asymptotic nature: with a 1% limit it
 * is rough until some tens of slow requests have been seen, which the evaluator's sample floor provides for.
 *
 * @param bound the latency the quantile must stay within
 * @param quantile the quantile, in (0, 1): 0.99 for p99
 */
public record LatencyGuardrail(Duration bound, double quantile) implements Guardrail {

	/** The quantile when none is given: p99, as the issue and §5.3 name. */
	public static final double DEFAULT_QUANTILE = 0.99;

	public LatencyGuardrail {
		Objects.requireNonNull(bound, "bound");
		if (bound.isNegative() || bound.isZero()) {
			throw new IllegalArgumentException("A latency bound must be positive: " + bound);
		}
		if (!(quantile > 0 && quantile < 1)) {
			throw new IllegalArgumentException("A latency quantile lies strictly between 0 and 1: " + quantile);
		}
	}

	/** The p99 guardrail with the given bound. */
	public static LatencyGuardrail p99(Duration bound) {
		return new LatencyGuardrail(bound, DEFAULT_QUANTILE);
	}

	@Override
	public String name() {
		return "latency";
	}

	/** The largest share of requests that may be slower than the bound: {@code 1 - quantile}. */
	public double allowedShareOverBound() {
		return 1 - quantile;
	}

	@Override
	public Optional<GuardrailCheck> check(VariantStats control, VariantStats challenger,
			MixtureConfidenceSequence sequence) {
		if (challenger.requests().requests() < 2) {
			return Optional.empty();
		}
		double limit = allowedShareOverBound();
		AlwaysValidInterval share = sequence.mean(challenger.requests().overLatencyBoundIndicators(), limit);
		return Optional.of(new GuardrailCheck(name(), challenger.variant(), share.estimate(), share.lower(),
				share.upper(), limit, share.isAbove(limit)));
	}

}
