package dev.flywheel.monitoring.drift;

/** What a window says about one feature. */
public enum Verdict {

	/** The feature drifted by the rule of its kind in {@link DriftThresholds}. */
	DRIFT,

	/** The window was large enough and the feature did not drift. */
	NO_DRIFT,

	/**
	 * The window had fewer rows with a value than {@link DriftThresholds#minimumRows(int)} asks: the feature is not
	 * judged, neither as drift nor as no drift, and does not count in the dataset drift share.
	 */
	INSUFFICIENT

}
