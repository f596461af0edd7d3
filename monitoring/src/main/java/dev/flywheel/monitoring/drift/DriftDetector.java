package dev.flywheel.monitoring.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.ReferenceProfile.CategoricalFeature;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import dev.flywheel.monitoring.drift.DriftMeasures.ChiSquared;
import dev.flywheel.monitoring.drift.DriftMeasures.KolmogorovSmirnov;

/**
 * Judges live windows against one reference profile, by the drift trigger of {@code statistics.md} §5.1.
 * <p>
 * <b>Per feature</b>, a window with fewer rows with a value than {@link DriftThresholds#minimumRows(int)} (30 per
 * reference bin, at least 300) is {@linkplain Verdict#INSUFFICIENT insufficient}: not judged. Otherwise
 * <ul>
 * <li>a numeric feature drifted if {@code PSI ≥ numericPsi} or {@code normalized W1 ≥ numericWasserstein};</li>
 * <li>a categorical feature drifted if {@code JS distance ≥ categoricalJensenShannon} or its chi-squared p-value is
 * under {@code categoricalAlpha / m}, m the categorical features judged in the window (Bonferroni);</li>
 * <li>the predictions drifted if {@code PSI ≥ predictionPsi}, on the class counts of a classifier or the bins of a
 * regressor's predicted values.</li>
 * </ul>
 * <b>The alarm</b> is raised when the share of drifted features among the judged ones reaches
 * {@code datasetDriftShare}, or when any one feature drifted (unless {@code alarmOnAnyFeature} is off, which leaves
 * Evidently's share rule alone), or when the predictions drifted. A window where nothing could be judged raises no
 * alarm. §5.1 asks the alarm to hold on k of n consecutive windows before a retrain; that is the caller's to count.
 */
public final class DriftDetector {

	/** The name the predictions' drift is reported under. */
	public static final String PREDICTIONS = "(predictions)";

	/** A threshold no measure reaches: the measure does not decide. */
	private static final double NEVER = Double.POSITIVE_INFINITY;

	private final ReferenceProfile profile;

	private final DriftThresholds thresholds;

	public DriftDetector(ReferenceProfile profile, DriftThresholds thresholds) {
		this.profile = profile;
		this.thresholds = thresholds;
	}

	/** The reference the windows are judged against. */
	public ReferenceProfile profile() {
		return this.profile;
	}

	/**
	 * Judges a window.
	 *
	 * @param window the live counts, on this detector's profile (from {@link LiveWindow#on(ReferenceProfile)})
	 */
	public DriftReport judge(LiveWindow window) {
		List<FeatureDrift> features = new ArrayList<>();
		for (Map.Entry<String, NumericFeature> feature : this.profile.numeric().entrySet()) {
			features.add(numeric(feature.getKey(), feature.getValue(), window.numeric(feature.getKey()),
					this.thresholds.numericPsi(), this.thresholds.numericWasserstein()));
		}
		long judgedCategorical = this.profile.categorical()
			.entrySet()
			.stream()
			.filter(feature -> window.categorical(feature.getKey()).rows() >= this.thresholds
				.minimumRows(feature.getValue().counts().size()))
			.count();
		double alpha = this.thresholds.categoricalAlpha() / Math.max(1, judgedCategorical);
		for (Map.Entry<String, CategoricalFeature> feature : this.profile.categorical().entrySet()) {
			features.add(categorical(feature.getKey(), feature.getValue().counts(),
					window.categorical(feature.getKey()), NEVER, this.thresholds.categoricalJensenShannon(), alpha));
		}
		FeatureDrift predictions = predictions(window.predictions());
		int judged = (int) features.stream().filter(FeatureDrift::isJudged).count();
		int drifted = (int) features.stream().filter(FeatureDrift::isDrifted).count();
		double share = (judged > 0) ? (double) drifted / judged : 0;
		boolean alarm = (judged > 0 && share >= this.thresholds.datasetDriftShare())
				|| (this.thresholds.alarmOnAnyFeature() && drifted > 0) || predictions.isDrifted();
		return new DriftReport(features, predictions, judged, drifted, share, alarm);
	}

	private FeatureDrift predictions(BinnedCounts live) {
		ReferenceProfile.Predictions reference = this.profile.predictions();
		if (live instanceof CategoricalCounts classes && reference.classCounts() != null) {
			return categorical(PREDICTIONS, reference.classCounts(), classes, this.thresholds.predictionPsi(), NEVER,
					0);
		}
		if (live instanceof NumericCounts values && reference.values() != null) {
			return numeric(PREDICTIONS, reference.values(), values, this.thresholds.predictionPsi(), NEVER);
		}
		throw new IllegalArgumentException("The window's predictions do not match the profile's");
	}

	/** A numeric feature's drift: PSI or normalized W1 at their thresholds. */
	private FeatureDrift numeric(String name, NumericFeature reference, NumericCounts live, double psiThreshold,
			double wassersteinThreshold) {
		long[] referenceCounts = reference.binCounts().stream().mapToLong(Long::longValue).toArray();
		long minimumRows = this.thresholds.minimumRows(referenceCounts.length);
		if (live.rows() == 0) {
			return new FeatureDrift(name, FeatureKind.NUMERIC, 0, live.nulls(), minimumRows, Double.NaN, Double.NaN,
					Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.INSUFFICIENT);
		}
		long[] counts = live.counts();
		double[] edges = reference.binEdges().stream().mapToDouble(Double::doubleValue).toArray();
		double psi = DriftMeasures.psi(referenceCounts, counts);
		ChiSquared chiSquared = DriftMeasures.chiSquared(referenceCounts, counts);
		KolmogorovSmirnov ks = DriftMeasures.kolmogorovSmirnov(edges, referenceCounts, counts);
		double wasserstein = DriftMeasures.normalizedWasserstein(edges, referenceCounts, counts, reference.std());
		boolean drifted = psi >= psiThreshold || wasserstein >= wassersteinThreshold;
		return new FeatureDrift(name, FeatureKind.NUMERIC, live.rows(), live.nulls(), minimumRows, psi,
				DriftMeasures.jensenShannonDistance(referenceCounts, counts), chiSquared.statistic(),
				chiSquared.pValue(), ks.statistic(), ks.pValue(), wasserstein,
				verdict(live.rows() >= minimumRows, drifted));
	}

	/** A categorical feature's drift: PSI or JS distance at their thresholds, or the chi-squared p-value under alpha. */
	private FeatureDrift categorical(String name, Map<String, Long> reference, CategoricalCounts live,
			double psiThreshold, double jsThreshold, double alpha) {
		long minimumRows = this.thresholds.minimumRows(reference.size());
		if (live.rows() == 0) {
			return new FeatureDrift(name, FeatureKind.CATEGORICAL, 0, live.nulls(), minimumRows, Double.NaN,
					Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.INSUFFICIENT);
		}
		long[] referenceCounts = CategoricalCounts.referenceBins(reference);
		long[] counts = live.counts();
		double psi = DriftMeasures.psi(referenceCounts, counts);
		double js = DriftMeasures.jensenShannonDistance(referenceCounts, counts);
		ChiSquared chiSquared = DriftMeasures.chiSquared(referenceCounts, counts);
		boolean drifted = psi >= psiThreshold || js >= jsThreshold || chiSquared.pValue() < alpha;
		return new FeatureDrift(name, FeatureKind.CATEGORICAL, live.rows(), live.nulls(), minimumRows, psi, js,
				chiSquared.statistic(), chiSquared.pValue(), Double.NaN, Double.NaN, Double.NaN,
				verdict(live.rows() >= minimumRows, drifted));
	}

	private static Verdict verdict(boolean judged, boolean drifted) {
		if (!judged) {
			return Verdict.INSUFFICIENT;
		}
		return drifted ? Verdict.DRIFT : Verdict.NO_DRIFT;
	}

}
