package dev.flywheel.monitoring.drift;

/** How a feature (or the predictions) is profiled: on quantile bins or on categories. */
public enum FeatureKind {

	/** Quantile bins of the reference; every measure applies. */
	NUMERIC,

	/** The reference's categories and one bin for the unseen; KS and Wasserstein do not apply. */
	CATEGORICAL

}
