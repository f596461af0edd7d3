package dev.flywheel.monitoring.drift;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Live counts of a categorical feature (or of a classifier's predicted classes) on its reference's categories: one
 * bin per category the reference saw, in their sorted order, and a last bin for every category it never saw; null is
 * counted as missing. Not thread-safe: one instance per time bucket and writer, merged into the window when the bucket
 * closes.
 */
public final class CategoricalCounts implements BinnedCounts {

	private final List<String> categories;

	private final Map<String, Integer> binOfCategory = new HashMap<>();

	private final long[] counts;

	private long nulls;

	/** Empty counts on {@code categories} (the reference's categories) and one bin for the unseen ones. */
	public CategoricalCounts(Collection<String> categories) {
		this.categories = List.copyOf(new TreeSet<>(categories));
		for (int i = 0; i < this.categories.size(); i++) {
			this.binOfCategory.put(this.categories.get(i), i);
		}
		this.counts = new long[this.categories.size() + 1];
	}

	/**
	 * The reference's own counts on the bins of live counts over its categories: its counts in sorted category order,
	 * then 0 for the unseen categories.
	 */
	public static long[] referenceBins(Map<String, Long> referenceCounts) {
		List<String> sorted = List.copyOf(new TreeSet<>(referenceCounts.keySet()));
		long[] bins = new long[sorted.size() + 1];
		for (int i = 0; i < sorted.size(); i++) {
			bins[i] = referenceCounts.get(sorted.get(i));
		}
		return bins;
	}

	/** Counts one value: in its category's bin, in the unseen bin, or as missing if null. */
	public CategoricalCounts add(String value) {
		if (value == null) {
			this.nulls++;
		}
		else {
			this.counts[this.binOfCategory.getOrDefault(value, this.categories.size())]++;
		}
		return this;
	}

	/**
	 * Adds {@code other}'s counts to these.
	 *
	 * @throws IllegalArgumentException if {@code other} counts on different categories
	 */
	public CategoricalCounts merge(CategoricalCounts other) {
		if (!this.categories.equals(other.categories)) {
			throw new IllegalArgumentException("Cannot merge counts on different categories: " + this.categories
					+ " and " + other.categories);
		}
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] += other.counts[i];
		}
		this.nulls += other.nulls;
		return this;
	}

	/** The reference's categories, in bin order; the unseen bin comes after them. */
	public List<String> categories() {
		return this.categories;
	}

	/** The rows whose category the reference never saw. */
	public long unseen() {
		return this.counts[this.categories.size()];
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
		return "CategoricalCounts" + Arrays.toString(this.counts) + " nulls=" + this.nulls;
	}

}
