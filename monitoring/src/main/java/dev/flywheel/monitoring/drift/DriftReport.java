package dev.flywheel.monitoring.drift;

import java.util.List;

/**
 * A live window judged against the reference profile: each feature's drift, the predictions' drift, the dataset
 * drift share, and whether the drift alarm is raised (the rule is {@link DriftDetector}'s).
 *
 * @param features each feature's drift, numeric features first, each kind by name
 * @param predictions the drift of the model's predictions
 * @param judgedFeatures the features with enough rows to be judged
 * @param driftedFeatures the features that drifted
 * @param driftShare {@code driftedFeatures / judgedFeatures}, 0 when no feature was judged
 * @param alarm whether the window raises the drift alarm
 */
public record DriftReport(List<FeatureDrift> features, FeatureDrift predictions, int judgedFeatures,
		int driftedFeatures, double driftShare, boolean alarm) {

	public DriftReport {
		features = List.copyOf(features);
	}

	/** The drift of the named feature. */
	public FeatureDrift feature(String name) {
		return this.features.stream()
			.filter(feature -> feature.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No feature named " + name));
	}

}
