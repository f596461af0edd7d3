package dev.flywheel.monitoring.drift;

/**
 * Live counts of one feature (or of the predictions) on the bins of its reference profile, the representation of a
 * live window in {@code statistics.md} §1.4: counts merge by addition, so a window is the sum of its time buckets and
 * every drift measure is computed on the merged counts. Missing values are counted apart from the bins.
 */
public sealed interface BinnedCounts permits NumericCounts, CategoricalCounts {

	/** A copy of the count in each bin, in the reference's bin order. */
	long[] counts();

	/** The rows counted in the bins: those with a value. */
	long rows();

	/** The rows without a value (null or NaN). */
	long nulls();

}
