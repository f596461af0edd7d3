package dev.flywheel.monitoring.drift;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import dev.flywheel.bundle.ReferenceProfile;

/**
 * The live counts of every feature of a reference profile and of the predictions, over one time bucket or a window
 * of them: {@link #merge(LiveWindow)} adds another bucket's counts, so a rolling window is the sum of its last buckets
 * ({@code statistics.md} §1.4). Not thread-safe.
 */
public final class LiveWindow {

	private final Map<String, NumericCounts> numeric = new TreeMap<>();

	private final Map<String, CategoricalCounts> categorical = new TreeMap<>();

	private final BinnedCounts predictions;

	private LiveWindow(ReferenceProfile profile) {
		profile.numeric().forEach((name, feature) -> this.numeric.put(name, new NumericCounts(feature)));
		profile.categorical()
			.forEach((name, feature) -> this.categorical.put(name, new CategoricalCounts(feature.counts().keySet())));
		ReferenceProfile.Predictions reference = profile.predictions();
		this.predictions = (reference.classCounts() != null)
				? new CategoricalCounts(reference.classCounts().keySet()) : new NumericCounts(reference.values());
	}

	/** An empty window on the bins of {@code profile}. */
	public static LiveWindow on(ReferenceProfile profile) {
		return new LiveWindow(profile);
	}

	/**
	 * The counts of a numeric feature.
	 *
	 * @throws IllegalArgumentException if the profile has no such numeric feature
	 */
	public NumericCounts numeric(String name) {
		return require(this.numeric.get(name), name);
	}

	/**
	 * The counts of a categorical feature.
	 *
	 * @throws IllegalArgumentException if the profile has no such categorical feature
	 */
	public CategoricalCounts categorical(String name) {
		return require(this.categorical.get(name), name);
	}

	/** The counts of the predictions: {@link CategoricalCounts} for a classifier, {@link NumericCounts} otherwise. */
	public BinnedCounts predictions() {
		return this.predictions;
	}

	/** Every numeric feature's counts, by name. */
	public Map<String, NumericCounts> numericFeatures() {
		return Collections.unmodifiableMap(this.numeric);
	}

	/** Every categorical feature's counts, by name. */
	public Map<String, CategoricalCounts> categoricalFeatures() {
		return Collections.unmodifiableMap(this.categorical);
	}

	/**
	 * Adds {@code other}'s counts to these.
	 *
	 * @throws IllegalArgumentException if {@code other} is on another profile's bins
	 */
	public LiveWindow merge(LiveWindow other) {
		if (!this.numeric.keySet().equals(other.numeric.keySet())
				|| !this.categorical.keySet().equals(other.categorical.keySet())) {
			throw new IllegalArgumentException("Cannot merge windows over different features");
		}
		this.numeric.forEach((name, counts) -> counts.merge(other.numeric.get(name)));
		this.categorical.forEach((name, counts) -> counts.merge(other.categorical.get(name)));
		if (this.predictions instanceof NumericCounts values && other.predictions instanceof NumericCounts more) {
			values.merge(more);
		}
		else if (this.predictions instanceof CategoricalCounts classes
				&& other.predictions instanceof CategoricalCounts more) {
			classes.merge(more);
		}
		else {
			throw new IllegalArgumentException("Cannot merge class counts with predicted values");
		}
		return this;
	}

	private static <T> T require(T counts, String name) {
		if (counts == null) {
			throw new IllegalArgumentException("The reference profile has no such feature: " + name);
		}
		return counts;
	}

}
