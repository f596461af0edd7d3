package dev.flywheel.monitoring.drift;

/**
 * One feature's drift in a live window, with every measure that applies to its kind (NaN for those that do not, and
 * for all of them when the window had no row with a value). The measures are reported whether or not the feature was
 * judged; only {@link #verdict()} says what counts.
 *
 * @param name the feature's name, or {@value DriftDetector#PREDICTIONS} for the model's predictions
 * @param kind how the feature is binned
 * @param rows the window's rows with a value
 * @param nulls the window's rows without one
 * @param minimumRows the rows with a value needed to judge the feature
 * @param psi the population stability index
 * @param jensenShannonDistance the Jensen–Shannon distance, base 2
 * @param chiSquared Pearson's statistic against the reference's shares
 * @param chiSquaredPValue its p-value
 * @param kolmogorovSmirnov the binned KS statistic D (numeric only)
 * @param kolmogorovSmirnovPValue its asymptotic p-value (numeric only)
 * @param normalizedWasserstein W1 over the reference's standard deviation (numeric only)
 * @param verdict drift, no drift, or too few rows to say
 */
public record FeatureDrift(String name, FeatureKind kind, long rows, long nulls, long minimumRows, double psi,
		double jensenShannonDistance, double chiSquared, double chiSquaredPValue, double kolmogorovSmirnov,
		double kolmogorovSmirnovPValue, double normalizedWasserstein, Verdict verdict) {

	/** Whether the window was large enough to judge the feature. */
	public boolean isJudged() {
		return this.verdict != Verdict.INSUFFICIENT;
	}

	/** Whether the feature drifted. */
	public boolean isDrifted() {
		return this.verdict == Verdict.DRIFT;
	}

}
