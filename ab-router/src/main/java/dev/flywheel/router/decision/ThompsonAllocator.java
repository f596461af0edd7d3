package dev.flywheel.router.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Thompson-sampling allocation ({@code statistics.md} §2.4) that keeps a fixed uniform share for the decision.
 * <p>
 * Per request, with probability {@code uniformShare} the unit goes to a variant drawn uniformly at random and is
 * marked {@link Allocation#forDecision() for the decision}; otherwise each variant's mean reward is drawn from its
 * posterior and the unit goes to the highest draw. §2.4 warns that adaptive allocation biases naive estimates and
 * breaks the assumptions of the confidence sequence, so only the uniform share may feed the decision: the router
 * counts the rewards of units marked for the decision into the {@link VariantStats} it evaluates, with equal weights
 * for the SRM check. The bandit share minimises regret meanwhile, and its posteriors may use every reward.
 * <p>
 * Posteriors: for {@link RewardKind#BINARY} rewards {@code Beta(1 + s, 1 + f)} (a uniform prior; s successes, f
 * failures); for {@link RewardKind#NUMERIC} rewards the normal approximation {@code N(m, v/n)} (a flat prior). A
 * numeric variant with fewer than two rewards has no variance yet and is explored first (drawn as +∞, ties broken at
 * random).
 * <p>
 * The allocator is as thread-safe as its generator: pass {@code ThreadLocalRandom.current()} when many threads share
 * one, and a seeded generator (such as {@code new SplittableRandom(seed)}) in tests.
 */
public final class ThompsonAllocator {

	/** Where a unit goes, and whether its reward may feed the decision. */
	public record Allocation(String variant, boolean forDecision) {

		public Allocation {
			Objects.requireNonNull(variant, "variant");
		}

	}

	private final double uniformShare;

	private final RewardKind rewardKind;

	private final RandomGenerator random;

	/**
	 * @param uniformShare the share of units allocated uniformly at random for the decision, in (0, 1]
	 * @param rewardKind what the rewards are
	 * @param random the source of randomness
	 */
	public ThompsonAllocator(double uniformShare, RewardKind rewardKind, RandomGenerator random) {
		if (!(uniformShare > 0 && uniformShare <= 1)) {
			throw new IllegalArgumentException(
					"The uniform share for the decision must lie in (0, 1]: " + uniformShare);
		}
		this.uniformShare = uniformShare;
		this.rewardKind = Objects.requireNonNull(rewardKind, "rewardKind");
		this.random = Objects.requireNonNull(random, "random");
	}

	public double uniformShare() {
		return uniformShare;
	}

	/**
	 * Allocates one unit.
	 *
	 * @param rewards every variant's reward totals so far, by name (visited in name order, so that a seeded generator
	 * gives the same allocations whatever the map's own order)
	 */
	public Allocation allocate(Map<String, RewardStats> rewards) {
		List<String> variants = variants(rewards);
		if (random.nextDouble() < uniformShare) {
			return new Allocation(variants.get(random.nextInt(variants.size())), true);
		}
		return new Allocation(sample(rewards), false);
	}

	/** The pure Thompson choice: the variant whose posterior draw is highest. */
	public String sample(Map<String, RewardStats> rewards) {
		List<String> variants = variants(rewards);
		String best = null;
		double bestDraw = Double.NEGATIVE_INFINITY;
		int ties = 0;
		for (String variant : variants) {
			double draw = draw(variant, rewards.get(variant));
			if (draw > bestDraw) {
				best = variant;
				bestDraw = draw;
				ties = 1;
			}
			else if (draw == bestDraw && random.nextInt(++ties) == 0) {
				// reservoir choice among equal draws (unexplored numeric variants all draw +∞)
				best = variant;
			}
		}
		return best;
	}

	private double draw(String variant, RewardStats stats) {
		Objects.requireNonNull(stats, () -> "No rewards for variant " + variant);
		if (rewardKind == RewardKind.BINARY) {
			if (!stats.isBinary()) {
				throw new IllegalArgumentException("Variant " + variant + " has rewards that are not 0/1: " + stats);
			}
			return RandomVariates.beta(1 + stats.sum(), 1 + stats.count() - stats.sum(), random);
		}
		if (stats.count() < 2) {
			return Double.POSITIVE_INFINITY;
		}
		return stats.mean() + Math.sqrt(stats.variance() / stats.count()) * random.nextGaussian();
	}

	private static List<String> variants(Map<String, RewardStats> rewards) {
		if (rewards.isEmpty()) {
			throw new IllegalArgumentException("Allocation needs at least one variant");
		}
		return new ArrayList<>(new TreeMap<>(rewards).keySet());
	}

}
