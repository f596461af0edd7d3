package dev.flywheel.router.decision;

import java.util.List;

/**
 * The sample ratio mismatch (SRM) check of {@code statistics.md} §2.4 and §5.3, made always valid: a p-value under
 * the threshold ({@value #DEFAULT_THRESHOLD}, GrowthBook's default) means units did not reach the variants as planned
 * (a routing bug, a variant that drops requests, bots), so every comparison between the variants is suspect and the
 * A/B test is invalid.
 * <p>
 * <b>The test</b> is the sequential multinomial test of Lindon and Malek, "Anytime-Valid Inference for Multinomial
 * Count Data" (NeurIPS 2022; arXiv 2011.03567), the one behind Optimizely's and Netflix's SRM checks. With assignment
 * counts {@code n_1..n_k} ({@code n = Σ n_i}), the planned split {@code p_i} (the weights normalised) as the null
 * hypothesis, and a Dirichlet prior {@code Dir(α_1..α_k)}, {@code α_i = c·p_i}, on the split under the alternative,
 * the Bayes factor of "the split is not p" against "the split is p" is the Dirichlet-multinomial marginal likelihood
 * over the multinomial one:
 *
 * <pre>
 * BF_n = Γ(Σα)/Γ(Σα + n) · Π_i Γ(α_i + n_i)/Γ(α_i) / Π_i p_i^n_i
 * </pre>
 *
 * computed in logarithms ({@link Distributions#logGamma}). Under the null it is a nonnegative martingale with mean 1
 * in the units' order, so by Ville's inequality {@code P(∃n: BF_n ≥ 1/a) ≤ a}: the p-value {@code min(1, 1/BF_n)}
 * falls under the threshold at <em>some</em> look of a correctly split test with probability at most the threshold,
 * however often one looks. It is exact for every n (no large-sample approximation, so no minimum count) and holds
 * for counts read at any looks, each unit counted once, in any batches.
 * <p>
 * <b>The prior.</b> {@code c} ({@value #DEFAULT_CONCENTRATION} by default) is the prior's weight in units: the prior
 * spreads the split about the plan by about {@code sqrt(p_i(1 - p_i)/(c + 1))}, ±3 points for a 10% variant at
 * c = 100. Small c detects gross mismatches within the first few hundred units; large c needs thousands of units
 * before it can reject at all, and pays off only on small mismatches in tests far longer than the c units. The
 * paper's reference implementation (Optimizely's {@code ssrm}) takes c = 10,000, tuned for experiments of millions of
 * visitors; the tests routed here plan a few tens of thousands of units, and a routing bug should stop them before
 * the floor of 1000 labels per variant, so c = 100 (the default of {@code savvi}'s multinomial test, which implements
 * the same paper). The README gives the detection times behind the choice.
 * <p>
 * <b>Looks.</b> {@code 1/BF_n} is the p-value of one look; the sequential p-value is its running minimum over the
 * looks, which {@link #check(List, List, double, double, SampleRatioMismatch)} keeps when given the previous look's
 * check. The decision does not depend on it: an A/B test stops at the first look where {@code 1/BF_n} falls under the
 * threshold, which is the first look where the running minimum does. The minimum only keeps the reported p-value from
 * rising again.
 * <p>
 * <b>The classic test</b> is still reported, for those who know it: Pearson's {@code χ² = Σ (n_i - e_i)²/e_i}, with
 * {@code e_i = p_i·n} and {@code k - 1} degrees of freedom, and its p-value, which is 1 until every expected count
 * reaches {@value #MIN_EXPECTED_COUNT}. It is a fixed-sample test; read at each of the ~250 looks of a simulated test
 * at p &lt; 0.001 it stopped 1.1–2% of correctly split tests, which is why it no longer decides.
 *
 * @param assignments the units assigned to each variant
 * @param weights the planned split, in the same order (any positive scale; normalised here)
 * @param chiSquared Pearson's statistic, 0 until the counts suffice
 * @param degreesOfFreedom {@code k - 1}
 * @param chiSquaredPValue the classic p-value {@code P(χ²_{k-1} ≥ chiSquared)}, fixed-sample: reported, not decided on
 * @param concentration {@code c}, the prior's total concentration {@code Σα}
 * @param logBayesFactor {@code ln BF_n}, negative when the counts favour the planned split
 * @param pValue the always-valid p-value the decision rests on: {@code min(1, 1/BF_n)}, or its running minimum over
 * the looks when the previous look's check was given
 * @param threshold the p-value under which the split is a mismatch
 */
public record SampleRatioMismatch(List<Long> assignments, List<Double> weights, double chiSquared,
		int degreesOfFreedom, double chiSquaredPValue, double concentration, double logBayesFactor, double pValue,
		double threshold) {

	/** The p-value under which assignments mismatch the planned split: GrowthBook's default, as §2.1 lists. */
	public static final double DEFAULT_THRESHOLD = 0.001;

	/** The Dirichlet prior's total concentration {@code c}: {@code α_i = c·p_i}. */
	public static final double DEFAULT_CONCENTRATION = 100;

	/** The smallest expected count per variant for which the chi-squared approximation is trusted. */
	public static final double MIN_EXPECTED_COUNT = 5;

	public SampleRatioMismatch {
		assignments = List.copyOf(assignments);
		weights = List.copyOf(weights);
		requireFit(assignments, weights);
		if (!isProbability(pValue) || !isProbability(chiSquaredPValue) || !(threshold > 0 && threshold < 1)) {
			throw new IllegalArgumentException("p-values and threshold must be probabilities: " + pValue + ", "
					+ chiSquaredPValue + ", " + threshold);
		}
		requireConcentration(concentration);
		if (Double.isNaN(logBayesFactor)) {
			throw new IllegalArgumentException("The log Bayes factor cannot be NaN");
		}
	}

	/**
	 * Tests the counts against the weights with the default prior ({@value #DEFAULT_CONCENTRATION}), on their own.
	 *
	 * @throws IllegalArgumentException for a negative count or a weight that is not positive
	 */
	public static SampleRatioMismatch check(List<Long> assignments, List<Double> weights, double threshold) {
		return check(assignments, weights, DEFAULT_CONCENTRATION, threshold, null);
	}

	/**
	 * Tests the counts against the weights.
	 *
	 * @param concentration the Dirichlet prior's total concentration {@code c}
	 * @param previous the check of this test's previous look, or null. Its p-value is carried (running minimum) only
	 * when it continues the same count: same weights and concentration, and no count smaller than it was; otherwise
	 * the check starts afresh from this look's Bayes factor, which is never smaller than the carried value
	 * @throws IllegalArgumentException for a negative count, a weight that is not positive or a concentration that is
	 * not
	 */
	public static SampleRatioMismatch check(List<Long> assignments, List<Double> weights, double concentration,
			double threshold, SampleRatioMismatch previous) {
		requireFit(assignments, weights);
		requireConcentration(concentration);
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
		for (int k = 0; k < assignments.size() && total > 0; k++) {
			double expected = total * weights.get(k) / weightSum;
			if (expected < MIN_EXPECTED_COUNT) {
				chiSquared = Double.NaN;
				break;
			}
			double deviation = assignments.get(k) - expected;
			chiSquared += deviation * deviation / expected;
		}
		double chiSquaredPValue = 1;
		if (total == 0 || Double.isNaN(chiSquared)) {
			chiSquared = 0;
		}
		else {
			chiSquaredPValue = Distributions.chiSquaredSurvival(chiSquared, degreesOfFreedom);
		}

		double logBayesFactor = logBayesFactor(assignments, weights, concentration);
		double pValue = logBayesFactor <= 0 ? 1 : Math.exp(-logBayesFactor);
		if (previous != null && previous.isContinuedBy(assignments, weights, concentration)) {
			pValue = Math.min(pValue, previous.pValue());
		}
		return new SampleRatioMismatch(assignments, weights, chiSquared, degreesOfFreedom, chiSquaredPValue,
				concentration, logBayesFactor, pValue, threshold);
	}

	/**
	 * {@code ln BF_n} of the Dirichlet-multinomial mixture against the planned multinomial, as in the class comment:
	 * {@code ln Γ(c) - ln Γ(c + n) + Σ_i [ln Γ(α_i + n_i) - ln Γ(α_i) - n_i·ln p_i]}, {@code α_i = c·p_i}. The
	 * multinomial coefficient is common to both likelihoods and cancels. Arguments are assumed valid.
	 */
	static double logBayesFactor(List<Long> assignments, List<Double> weights, double concentration) {
		double weightSum = 0;
		long total = 0;
		for (int k = 0; k < assignments.size(); k++) {
			weightSum += weights.get(k);
			total += assignments.get(k);
		}
		if (total == 0) {
			return 0;
		}
		double value = Distributions.logGamma(concentration) - Distributions.logGamma(concentration + total);
		for (int k = 0; k < assignments.size(); k++) {
			long count = assignments.get(k);
			if (count == 0) {
				continue;
			}
			double share = weights.get(k) / weightSum;
			double prior = concentration * share;
			value += Distributions.logGamma(prior + count) - Distributions.logGamma(prior) - count * Math.log(share);
		}
		return value;
	}

	/** {@code BF_n}, the evidence for a mismatch (may overflow to infinity; {@link #logBayesFactor()} does not). */
	public double bayesFactor() {
		return Math.exp(logBayesFactor);
	}

	/** Whether the assignments mismatch the planned split: the always-valid p-value below the threshold. */
	public boolean isMismatch() {
		return pValue < threshold;
	}

	/** Whether counts and weights continue this check's count: the same plan and prior, no count gone down. */
	private boolean isContinuedBy(List<Long> laterAssignments, List<Double> laterWeights, double laterConcentration) {
		if (!weights.equals(laterWeights) || concentration != laterConcentration
				|| assignments.size() != laterAssignments.size()) {
			return false;
		}
		for (int k = 0; k < assignments.size(); k++) {
			if (laterAssignments.get(k) < assignments.get(k)) {
				return false;
			}
		}
		return true;
	}

	private static void requireFit(List<Long> assignments, List<Double> weights) {
		if (assignments.size() != weights.size() || assignments.size() < 2) {
			throw new IllegalArgumentException("An SRM check needs a count and a weight for each of two or more "
					+ "variants: " + assignments + " against " + weights);
		}
	}

	private static void requireConcentration(double concentration) {
		if (!(concentration > 0) || Double.isInfinite(concentration)) {
			throw new IllegalArgumentException("The prior's concentration must be positive and finite: "
					+ concentration);
		}
	}

	private static boolean isProbability(double p) {
		return p >= 0 && p <= 1;
	}

}
