package dev.flywheel.monitoring.drift;

import java.util.Arrays;

import dev.flywheel.bundle.ReferenceProfile.NumericFeature;

/**
 * Live counts of a numeric feature on its reference's quantile bins: one count per bin of the
 * {@link NumericFeature}, values beyond the reference's edges counting in the first or last bin (as
 * {@link NumericFeature#binOf(double)} places them), NaN counted as missing. Not thread-safe: one instance per time
 * bucket and writer, merged into the window when the bucket closes.
 */
public final class NumericCounts implements BinnedCounts {

	private final NumericFeature reference;

	private final long[] counts;

	private long nulls;

	/** Empty counts on the bins of {@code reference}. */
	public NumericCounts(NumericFeature reference) {
		this.reference = reference;
		this.counts = new long[reference.binCounts().size()];
	}

	/**
	 * Counts restored from storage.
	 *
	 * @throws IllegalArgumentException if the counts do not fit the reference's bins or any is negative
	 */
	public static NumericCounts of(NumericFeature reference, long[] counts, long nulls) {
		NumericCounts restored = new NumericCounts(reference);
		if (counts.length != restored.counts.length || nulls < 0 || Arrays.stream(counts).anyMatch(c -> c < 0)) {
			throw new IllegalArgumentException("Expected " + restored.counts.length
					+ " nonnegative bin counts and a nonnegative null count: " + Arrays.toString(counts) + ", " + nulls);
		}
		System.arraycopy(counts, 0, restored.counts, 0, counts.length);
		restored.nulls = nulls;
		return restored;
	}

	/** Counts one value: in its bin, or as missing if NaN. */
	public NumericCounts add(double value) {
		if (Double.isNaN(value)) {
			this.nulls++;
		}
		else {
			this.counts[this.reference.binOf(value)]++;
		}
		return this;
	}

	/**
	 * Adds {@code other}'s counts to these.
	 *
	 * @throws IllegalArgumentException if {@code other} counts on different bins
	 */
	public NumericCounts merge(NumericCounts other) {
		if (!this.reference.binEdges().equals(other.reference.binEdges())) {
			throw new IllegalArgumentException("Cannot merge counts on different bins: " + this.reference.binEdges()
					+ " and " + other.reference.binEdges());
		}
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] += other.counts[i];
		}
		this.nulls += other.nulls;
		return this;
	}

	/** The reference feature whose bins these counts are on. */
	public NumericFeature reference() {
		return this.reference;
	}

	@Override
	public long[] counts() {
		return this.counts.clone();
	}

	@Override
	public long rows() {
		return Arrays.stream(this.counts).sum();
	}

	@Override
	public long nulls() {
		return this.nulls;
	}

	@Override
	public String toString() {
		return "NumericCounts" + Arrays.toString(this.counts) + " nulls=" + this.nulls;
	}

}
