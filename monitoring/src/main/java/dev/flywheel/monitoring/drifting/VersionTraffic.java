package dev.flywheel.monitoring.drifting;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.monitoring.drift.CategoricalCounts;
import dev.flywheel.monitoring.drift.LiveWindow;
import dev.flywheel.monitoring.drift.NumericCounts;
import dev.flywheel.monitoring.predictions.LoggedPrediction;

/**
 * One version's live traffic: its rows counted on its reference profile's bins in time buckets (by when each was
 * predicted), so that a sliding window is the sum of its buckets. Until the profile is known the rows wait, at most
 * {@code maxPending} of them (the oldest go first, counted as {@link #droppedPending()}).
 */
final class VersionTraffic {

	private final long bucketMillis;

	private final int maxPending;

	private final TreeMap<Long, LiveWindow> buckets = new TreeMap<>();

	private final ArrayDeque<LoggedPrediction> pending = new ArrayDeque<>();

	private ReferenceProfile profile;

	private long droppedPending;

	VersionTraffic(long bucketMillis, int maxPending) {
		this.bucketMillis = bucketMillis;
		this.maxPending = maxPending;
	}

	synchronized void add(LoggedPrediction row) {
		if (profile == null) {
			if (pending.size() >= maxPending) {
				pending.removeFirst();
				droppedPending++;
			}
			pending.addLast(row);
			return;
		}
		count(row);
	}

	synchronized boolean hasProfile() {
		return profile != null;
	}

	/** Counts the rows that waited for the profile. */
	synchronized void profileKnown(ReferenceProfile known) {
		if (profile == null) {
			profile = known;
			while (!pending.isEmpty()) {
				count(pending.removeFirst());
			}
		}
	}

	/**
	 * The counts of the rows predicted in {@code [from, to)}, bucket by bucket (a bucket counts when it starts in
	 * the range); buckets before {@code from} are let go. Null while the profile is not known.
	 */
	synchronized LiveWindow window(long from, long to) {
		if (profile == null) {
			return null;
		}
		buckets.headMap(bucketOf(from)).clear();
		LiveWindow window = LiveWindow.on(profile);
		for (Map.Entry<Long, LiveWindow> bucket : buckets.subMap(bucketOf(from), true, to, false).entrySet()) {
			window.merge(bucket.getValue());
		}
		return window;
	}

	synchronized int pendingRows() {
		return pending.size();
	}

	synchronized long droppedPending() {
		return droppedPending;
	}

	private long bucketOf(long at) {
		return Math.floorDiv(at, bucketMillis) * bucketMillis;
	}

	private void count(LoggedPrediction row) {
		LiveWindow bucket = buckets.computeIfAbsent(bucketOf(row.predictedAt()), start -> LiveWindow.on(profile));
		bucket.numericFeatures().forEach((name, counts) -> {
			Object value = row.features().get(name);
			counts.add(value instanceof Number number ? number.doubleValue() : Double.NaN);
		});
		bucket.categoricalFeatures().forEach((name, counts) -> {
			Object value = row.features().get(name);
			counts.add(value == null ? null : value instanceof Number number ? category(number) : value.toString());
		});
		if (bucket.predictions() instanceof CategoricalCounts classes) {
			classes.add(row.label());
		}
		else if (bucket.predictions() instanceof NumericCounts values) {
			values.add(row.value() == null ? Double.NaN : row.value());
		}
	}

	/** A category sent as a number (a JSON 3 for "3") is its integer text when it has no fraction. */
	private static String category(Number number) {
		double value = number.doubleValue();
		return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value)
				: Double.toString(value);
	}

}
