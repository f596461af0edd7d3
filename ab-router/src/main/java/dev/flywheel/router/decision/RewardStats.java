package dev.flywheel.router.decision;

/**
 * The running totals of one variant's rewards: how many, their sum and the sum of their squares ({@code n_k},
 * {@code S_k} and {@code Q_k} in {@code statistics.md} §2.2). That is all the confidence sequence needs, and totals
 * merge by addition, so they can be kept per replica or per time bucket and added up.
 * <p>
 * For a binary reward (a label that matched: 1, or not: 0) the sum counts the successes and equals the sum of
 * squares, and {@link #variance()} is {@code p(1 - p)}. The totals are exact for such rewards; for continuous rewards
 * of a wide range, {@code Q/n - m²} loses precision when the mean is large against the spread, so shift rewards
 * (for example by a known baseline) before adding them.
 *
 * @param count the number of rewards, {@code n}
 * @param sum their sum, {@code S}
 * @param sumOfSquares the sum of their squares, {@code Q}
 */
public record RewardStats(long count, double sum, double sumOfSquares) {

	/** No rewards yet. */
	public static final RewardStats EMPTY = new RewardStats(0, 0, 0);

	public RewardStats {
		if (count < 0) {
			throw new IllegalArgumentException("A reward count cannot be negative: " + count);
		}
		if (!Double.isFinite(sum) || !Double.isFinite(sumOfSquares) || sumOfSquares < 0) {
			throw new IllegalArgumentException(
					"Reward totals must be finite with a non-negative sum of squares: sum " + sum + ", sum of squares "
							+ sumOfSquares);
		}
		if (count == 0 && (sum != 0 || sumOfSquares != 0)) {
			throw new IllegalArgumentException("Reward totals of no rewards must be zero");
		}
	}

	/** The totals of the given rewards. */
	public static RewardStats of(double... rewards) {
		RewardStats stats = EMPTY;
		for (double reward : rewards) {
			stats = stats.add(reward);
		}
		return stats;
	}

	/** Totals of {@code successes} ones among {@code count} binary rewards. */
	public static RewardStats ofBinary(long count, long successes) {
		if (successes < 0 || successes > count) {
			throw new IllegalArgumentException(
					"Successes must lie between 0 and the count " + count + ": " + successes);
		}
		return new RewardStats(count, successes, successes);
	}

	/** These totals with one more reward. */
	public RewardStats add(double reward) {
		if (!Double.isFinite(reward)) {
			throw new IllegalArgumentException("A reward must be a finite number: " + reward);
		}
		return new RewardStats(count + 1, sum + reward, sumOfSquares + reward * reward);
	}

	/** The totals of both sets of rewards (from two replicas, or two time buckets). */
	public RewardStats merge(RewardStats other) {
		return new RewardStats(count + other.count, sum + other.sum, sumOfSquares + other.sumOfSquares);
	}

	/** The mean reward {@code m = S/n}. */
	public double mean() {
		requireRewards();
		return sum / count;
	}

	/**
	 * The plug-in variance {@code v = Q/n - m²} (dividing by n, as §2.2 does; for 0/1 rewards this is exactly
	 * {@code m(1 - m)}). Rounding can make it a hair negative for constant rewards; it is clamped at zero.
	 */
	public double variance() {
		double mean = mean();
		return Math.max(0, sumOfSquares / count - mean * mean);
	}

	/** Whether the totals can be those of 0/1 rewards: an integral sum, equal to the sum of squares, at most n. */
	public boolean isBinary() {
		return sum == sumOfSquares && sum == Math.rint(sum) && sum <= count;
	}

	private void requireRewards() {
		if (count == 0) {
			throw new IllegalStateException("No rewards yet");
		}
	}

}
