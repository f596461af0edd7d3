package dev.flywheel.router.decision;

import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How an A/B test decides, with the defaults of {@code statistics.md} §2.2 and §5.3.
 *
 * @param alpha the chance of a false decision over all looks, {@value #DEFAULT_ALPHA} by default; split equally
 * between the challengers (Bonferroni, §2.2) when there are several
 * @param minSamplesPerVariant the matured rewards every variant needs before any decision but an SRM
 * ({@value #DEFAULT_MIN_SAMPLES_PER_VARIANT}, §5.3; the confidence sequence is only asymptotically valid)
 * @param maxTotalSamples matured rewards over all variants after which an undecided test ends inconclusive; empty
 * for none
 * @param mixingSampleSize {@code N*}, the total sample at which the confidence sequence is tightest
 * ({@value MixtureConfidenceSequence#DEFAULT_MIXING_SAMPLE_SIZE} by default; §2.2 recommends the total sample you
 * expect)
 * @param srmThreshold the always-valid SRM p-value under which the test is invalid
 * ({@value SampleRatioMismatch#DEFAULT_THRESHOLD})
 * @param srmConcentration the total concentration {@code c} of the SRM test's Dirichlet prior
 * ({@value SampleRatioMismatch#DEFAULT_CONCENTRATION}; see {@link SampleRatioMismatch})
 * @param minimumLift δ_min: a challenger wins when its interval lies wholly above it. 0 for "better"; the minimum
 * effect that matters for "practically better"; a negative margin for non-inferiority (a cheaper model that may be a
 * little worse)
 * @param guardrails limits every challenger must respect, each a one-sided sequential test
 */
public record DecisionPolicy(double alpha, long minSamplesPerVariant, OptionalLong maxTotalSamples,
		long mixingSampleSize, double srmThreshold, double srmConcentration, double minimumLift,
		List<Guardrail> guardrails) {

	/** §2.2 and GrowthBook's default. */
	public static final double DEFAULT_ALPHA = 0.05;

	/** §5.3: "≥ 1000 matured units per arm". */
	public static final long DEFAULT_MIN_SAMPLES_PER_VARIANT = 1000;

	public DecisionPolicy {
		Objects.requireNonNull(maxTotalSamples, "maxTotalSamples");
		guardrails = List.copyOf(guardrails);
		if (!(alpha > 0 && alpha < 1)) {
			throw new IllegalArgumentException("α must lie strictly between 0 and 1: " + alpha);
		}
		if (minSamplesPerVariant < 2) {
			throw new IllegalArgumentException(
					"At least two samples per variant are needed for a variance: " + minSamplesPerVariant);
		}
		if (maxTotalSamples.isPresent() && maxTotalSamples.getAsLong() < 2 * minSamplesPerVariant) {
			throw new IllegalArgumentException("The maximum total sample " + maxTotalSamples.getAsLong()
					+ " leaves no room for the minimum of " + minSamplesPerVariant + " per variant");
		}
		if (mixingSampleSize < 1) {
			throw new IllegalArgumentException("N* must be a positive sample size: " + mixingSampleSize);
		}
		if (!(srmThreshold > 0 && srmThreshold < 1)) {
			throw new IllegalArgumentException("The SRM threshold is a p-value in (0, 1): " + srmThreshold);
		}
		if (!(srmConcentration > 0) || Double.isInfinite(srmConcentration)) {
			throw new IllegalArgumentException("The SRM prior's concentration must be positive and finite: "
					+ srmConcentration);
		}
		if (!Double.isFinite(minimumLift)) {
			throw new IllegalArgumentException("The minimum lift must be finite: " + minimumLift);
		}
	}

	/**
	 * α 0.05, 1000 samples per variant, no maximum, N* 5000, SRM at an always-valid p &lt; 0.001 with a prior of
	 * concentration 100, "better" (δ_min 0), no guardrails.
	 */
	public static DecisionPolicy defaults() {
		return new DecisionPolicy(DEFAULT_ALPHA, DEFAULT_MIN_SAMPLES_PER_VARIANT, OptionalLong.empty(),
				MixtureConfidenceSequence.DEFAULT_MIXING_SAMPLE_SIZE, SampleRatioMismatch.DEFAULT_THRESHOLD,
				SampleRatioMismatch.DEFAULT_CONCENTRATION, 0, List.of());
	}

	public DecisionPolicy withAlpha(double alpha) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withMinSamplesPerVariant(long minSamplesPerVariant) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withMaxTotalSamples(long maxTotalSamples) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, OptionalLong.of(maxTotalSamples), mixingSampleSize,
				srmThreshold, srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withMixingSampleSize(long mixingSampleSize) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withSrmThreshold(double srmThreshold) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withSrmConcentration(double srmConcentration) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withMinimumLift(double minimumLift) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, guardrails);
	}

	public DecisionPolicy withGuardrails(Guardrail... guardrails) {
		return new DecisionPolicy(alpha, minSamplesPerVariant, maxTotalSamples, mixingSampleSize, srmThreshold,
				srmConcentration, minimumLift, List.of(guardrails));
	}

	/** The policy's guardrail of a kind, if it has one. */
	public <G extends Guardrail> Optional<G> guardrail(Class<G> kind) {
		return guardrails.stream().filter(kind::isInstance).map(kind::cast).findFirst();
	}

	/** α for each challenger's comparison against the control: α divided by the number of challengers. */
	public double alphaPerComparison(int challengers) {
		if (challengers < 1) {
			throw new IllegalArgumentException("A test has at least one challenger: " + challengers);
		}
		return alpha / challengers;
	}

}
