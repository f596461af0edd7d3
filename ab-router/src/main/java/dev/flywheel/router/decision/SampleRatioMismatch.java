package dev.flywheel.router.decision;

import java.util.List;

/**
 * The sample ratio mismatch (SRM) check of {@code statistics.md} §2.4 and §5.3: a chi-squared goodness-of-fit test
 * of the assignment counts against the planned split, {@code χ² = Σ (o_k - e_k)²/e_k} with {@code e_k = w_k·N} and
 * {@code k - 1} degrees of freedom. A p-value under the threshold ({@value #DEFAULT_THRESHOLD}, GrowthBook's default)
 * means units did not reach the variants as planned (a routing bug, a variant that drops requests, bots), so every
 * comparison between the variants is suspect and the A/B test is invalid.
 * <p>
 * The chi-squared approximation needs expected counts of at least {@value #MIN_EXPECTED_COUNT} per variant; until
 * then the check reports p = 1 (no evidence of a mismatch yet).
 * <p>
 * This is a fixed-sample test, and §2.4 has it read at every look: over a test's few hundred looks the chance of a
 * false alarm grows from 0.1% to 1.5–2% (measured by {@code DecisionSimulationTests} with a look every 100 feedback
 * events). An always-valid SRM test would keep it at the threshold; the reference does not give one.
 *
 * @param assignments the units assigned to each variant
 * @param weights the planned split, in the same order (any positive scale; normalised here)
 * @param chiSquared the statistic, 0 until the counts suffice
 * @param degreesOfFreedom {@code k - 1}
 * @param pValue {@code P(χ²_{k-1} ≥ chiSquared)}
 * @param threshold the p-value under which the split is a mismatch
 */
public record SampleRatioMismatch(List<Long> assignments, List<Double> weights, double chiSquared,
		int degreesOfFreedom, double pValue, double threshold) {

	/** The p-value under which assignments mismatch the planned split: GrowthBook's default, as §2.1 lists. */
	public static final double DEFAULT_THRESHOLD = 0.001;

	/** The smallest expected count per variant for which the chi-squared approximation is trusted. */
	public static final double MIN_EXPECTED_COUNT = 5;

	public SampleRatioMismatch {
		assignments = List.copyOf(assignments);
		weights = List.copyOf(weights);
		if (assignments.size() != weights.size() || assignments.size() < 2) {
			throw new IllegalArgumentException("An SRM check needs a count and a weight for each of two or more "
					+ "variants: " + assignments + " against " + weights);
		}
		if (!(pValue >= 0 && pValue <= 1) || !(threshold > 0 && threshold < 1)) {
			throw new IllegalArgumentException("p-value and threshold must be probabilities: " + pValue + ", "
					+ threshold);
		}
	}

	/**
	 * Tests the counts against the weights.
	 *
	 * @throws IllegalArgumentException for a negative count or a weight that is not positive
	 */
	public static SampleRatioMismatch check(List<Long> assignments, List<Double> weights, double threshold) {
		if (assignments.size() != weights.size() || assignments.size() < 2) {
			throw new IllegalArgumentException("An SRM check needs a count and a weight for each of two or more "
					+ "variants: " + assignments + " against " + weights);
		}
		long total = 0;
		double weightSum = 0;
		for (int k = 0; k < assignments.size(); k++) {
			if (assignments.get(k) < 0) {
				throw new IllegalArgumentException("An assignment count cannot be negative: " + assignments);
			}
			if (!(weights.get(k) > 0) || Double.isInfinite(weights.get(k))) {
				throw new IllegalArgumentException("Weights must be positive: " + weights);
			}
			total += assignments.get(k);
			weightSum += weights.get(k);
		}
		int degreesOfFreedom = assignments.size() - 1;
		double chiSquared = 0;
		for (int k = 0; k < assignments.size(); k++) {
			double expected = total * weights.get(k) / weightSum;
			if (expected < MIN_EXPECTED_COUNT) {
				return new SampleRatioMismatch(assignments, weights, 0, degreesOfFreedom, 1, threshold);
			}
			double deviation = assignments.get(k) - expected;
			chiSquared += deviation * deviation / expected;
		}
		return new SampleRatioMismatch(assignments, weights, chiSquared, degreesOfFreedom,
				Distributions.chiSquaredSurvival(chiSquared, degreesOfFreedom), threshold);
	}

	/** Whether the assignments mismatch the planned split: p below the threshold. */
	public boolean isMismatch() {
		return pValue < threshold;
	}

}
