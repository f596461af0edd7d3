package dev.flywheel.router.decision;

/**
 * Keeps one variant's running {@link RewardStats} as rewards arrive from many threads. Every addition and snapshot
 * holds one lock, so a snapshot's count, sum and sum of squares always belong to the same set of rewards (separate
 * {@code LongAdder}s could be read between two of them); a lock taken once per feedback event costs nothing next to
 * the HTTP call that delivers it.
 */
public final class RewardAccumulator {

	private RewardStats totals;

	/** Starts with no rewards. */
	public RewardAccumulator() {
		this(RewardStats.EMPTY);
	}

	/** Resumes from totals kept elsewhere (the database, after a restart). */
	public RewardAccumulator(RewardStats initial) {
		this.totals = initial;
	}

	/** Adds one reward. */
	public synchronized void add(double reward) {
		totals = totals.add(reward);
	}

	/** Adds the totals of rewards counted elsewhere (another replica or time bucket). */
	public synchronized void merge(RewardStats other) {
		totals = totals.merge(other);
	}

	/** The totals so far; an immutable value that later additions do not change. */
	public synchronized RewardStats snapshot() {
		return totals;
	}

}
