package dev.flywheel.monitoring.quality;

import java.util.Arrays;

/**
 * The label delays of one time bucket or a window of them, kept whole so that the percentiles of
 * {@link LabelDelay} are exact: {@link #merge} adds another bucket's delays. Not thread-safe.
 */
public final class LabelDelays {

	private long[] delays = new long[16];

	private int rows;

	/** Adds the delay {@code receivedAt - predictedAt}, in milliseconds. */
	public LabelDelays add(long predictedAt, long receivedAt) {
		return addMillis(receivedAt - predictedAt);
	}

	/** Adds a delay in milliseconds. */
	public LabelDelays addMillis(long delay) {
		if (this.rows == this.delays.length) {
			this.delays = Arrays.copyOf(this.delays, this.delays.length * 2);
		}
		this.delays[this.rows++] = delay;
		return this;
	}

	/** Adds {@code other}'s delays to these. */
	public LabelDelays merge(LabelDelays other) {
		for (int i = 0; i < other.rows; i++) {
			addMillis(other.delays[i]);
		}
		return this;
	}

	/** The delays added. */
	public long rows() {
		return this.rows;
	}

	/** The median, 90th percentile and maximum of the delays added so far, as {@link LabelDelay} defines them. */
	public LabelDelay delay() {
		if (this.rows == 0) {
			return new LabelDelay(0, Double.NaN, Double.NaN, Double.NaN);
		}
		long[] sorted = Arrays.copyOf(this.delays, this.rows);
		Arrays.sort(sorted);
		return new LabelDelay(this.rows, seconds(nearestRank(sorted, 50)), seconds(nearestRank(sorted, 90)),
				seconds(sorted[sorted.length - 1]));
	}

	/** The value of rank {@code ceil(percent/100·n)} (1-based, at least 1) of ascending {@code sorted}. */
	static long nearestRank(long[] sorted, int percent) {
		int rank = (int) Math.max(1, (percent * (long) sorted.length + 99) / 100);
		return sorted[rank - 1];
	}

	private static double seconds(long millis) {
		return millis / 1000.0;
	}

}
