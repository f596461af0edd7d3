package dev.flywheel.monitoring.drift;

import dev.flywheel.bundle.ReferenceProfile;

/**
 * The thresholds that turn drift measures into verdicts and the alarm ({@link DriftDetector} gives the rule).
 * <p>
 * <b>The defaults</b> ({@link #DEFAULTS}) follow {@code statistics.md} §5.1 where it names a value, and were
 * calibrated by the simulations of {@code DriftSimulationTests} where it does not: a reference profiled from 10,000
 * draws of four independent normal features (decile bins) and a three-class classifier's predictions on them, judged
 * on live windows of the minimum size, 300 rows.
 * <ul>
 * <li><b>Numeric: PSI ≥ 0.2 or normalized W1 ≥ 0.35.</b> PSI 0.2 is §5.1's "major" drift; without drift the
 * largest PSI of the four features had a median of 0.046, a 99th percentile of 0.092 and a maximum of 0.125 over
 * 5,000 windows. It is not enough alone: for a shift of half a standard deviation in one feature its 1st percentile
 * was 0.156 and it flagged the feature in 90.4% of first windows. The normalized Wasserstein-1 on the bins is
 * noisier than on raw data (the outer bins stretch from the reference's extremes to its first and last deciles,
 * about 2.5 standard deviations, and each carries its mass spread over that width), so Evidently's and Azure's 0.1
 * would alarm in most windows: without drift the largest of the four had a median of 0.125, a 99th percentile of
 * 0.235 and a maximum of 0.319; under the half-std shift the shifted feature's had a 1st percentile of 0.458 and a
 * median of 0.635. 0.35 sits between the two with margin on both sides, and flagged the shift alone in every first
 * window.</li>
 * <li><b>Categorical: JS distance ≥ 0.1 or chi-squared p under 0.001/m</b> (m the categorical features judged).
 * 0.1 is Evidently's and Azure's JS threshold; the family-wise 0.001 keeps the chi-squared tests' share of false
 * alarms under a tenth of a percent per window. With five categories (shares 0.3, 0.2, 0.2, 0.15, 0.15), windows of
 * 300 rows raised a false alarm in 0.38% of 5,000 windows, and a share moving from 0.2 to 0.35 (taken evenly from
 * the others) raised the alarm within two windows in 99.92%.</li>
 * <li><b>Predictions: PSI ≥ 0.2</b>, §5.1's prediction-distribution trigger.</li>
 * <li><b>Dataset drift share 0.5</b> (Evidently's {@code drift_share}) and one drifted feature alarming on its own
 * (§5.1's "PSI ≥ 0.2 on any feature").</li>
 * <li><b>30 rows per bin</b>, at least 300 (§1.3: PSI's false alarms from small windows vanish from 30 rows per
 * decile bin).</li>
 * </ul>
 * Together, on the four numeric features: no false alarm in 5,000 windows without drift (a rate under 0.06% at 95%
 * confidence), and a half-std shift in any one of them raised the alarm in the first window in all of 1,000 trials,
 * so within two windows in 100%. §5.1's k-of-n consecutive windows before a retrain lowers the false alarms further.
 *
 * @param numericPsi the PSI at which a numeric feature drifted
 * @param numericWasserstein the normalized Wasserstein-1 at which a numeric feature drifted
 * @param categoricalJensenShannon the Jensen–Shannon distance at which a categorical feature drifted
 * @param categoricalAlpha the family-wise level of the categorical features' chi-squared tests, divided among the
 * judged categorical features (Bonferroni)
 * @param predictionPsi the PSI at which the predictions drifted
 * @param datasetDriftShare the share of drifted features among the judged ones that raises the alarm
 * @param alarmOnAnyFeature whether one drifted feature raises the alarm on its own
 * @param minimumRowsPerBin the rows with a value per reference bin a window needs for a feature to be judged
 */
public record DriftThresholds(double numericPsi, double numericWasserstein, double categoricalJensenShannon,
		double categoricalAlpha, double predictionPsi, double datasetDriftShare, boolean alarmOnAnyFeature,
		int minimumRowsPerBin) {

	/** The defaults, calibrated as the class comment describes. */
	public static final DriftThresholds DEFAULTS = new DriftThresholds(0.2, 0.35, 0.1, 0.001, 0.2, 0.5, true, 30);

	public DriftThresholds {
		requirePositive(numericPsi, "numericPsi");
		requirePositive(numericWasserstein, "numericWasserstein");
		requirePositive(categoricalJensenShannon, "categoricalJensenShannon");
		requirePositive(predictionPsi, "predictionPsi");
		if (!(categoricalAlpha > 0 && categoricalAlpha < 1) || !(datasetDriftShare > 0 && datasetDriftShare <= 1)) {
			throw new IllegalArgumentException("categoricalAlpha must be in (0, 1) and datasetDriftShare in (0, 1]: "
					+ categoricalAlpha + ", " + datasetDriftShare);
		}
		if (minimumRowsPerBin < 1) {
			throw new IllegalArgumentException("minimumRowsPerBin must be positive: " + minimumRowsPerBin);
		}
	}

	/**
	 * The rows with a value a window needs to judge a feature of {@code bins} reference bins (or categories):
	 * {@code minimumRowsPerBin} per bin, counting at least {@value ReferenceProfile#DEFAULT_BINS} bins, so 300 rows by
	 * default for a decile-binned feature and for any categorical one. The floor matters for categorical features:
	 * without drift, {@code n·JSD·8·ln 2} is about χ² with {@code B - 1} degrees of freedom, so at 30 rows per
	 * category a JS distance of 0.1 is reached by chance in 8% of windows for five categories, against 0.2% at 300
	 * rows.
	 */
	public long minimumRows(int bins) {
		return (long) this.minimumRowsPerBin * Math.max(ReferenceProfile.DEFAULT_BINS, bins);
	}

	private static void requirePositive(double threshold, String name) {
		if (!(threshold > 0)) {
			throw new IllegalArgumentException(name + " must be positive: " + threshold);
		}
	}

}
