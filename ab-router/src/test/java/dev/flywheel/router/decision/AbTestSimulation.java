package dev.flywheel.router.decision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded generator of A/B test traffic, run against the real decision code.
 * <p>
 * One unit arrives per tick with a random key and is assigned to a variant by a salted 64-bit mix of its key modulo
 * 10,000 against the cumulative <em>delivered</em> shares (as the router assigns, so a delivered share other than the
 * planned weight is a routing bug). The variant's model predicts one of ten classes, right with the variant's
 * accuracy and otherwise a wrong class at random. The unit's true label comes back as feedback after an exponential
 * delay ({@value #MEAN_FEEDBACK_DELAY} ticks on average), or never for {@value #LOST_FEEDBACK} of the units; the
 * feedback is joined to its prediction by prediction id and its reward (1 when the prediction matched) goes to the
 * variant's {@link RewardAccumulator}. The decision is evaluated after every {@value #LOOK_EVERY} feedback events
 * and when the maximum sample is reached, each look narrowed by the previous one, until a decision is final.
 * <p>
 * Beside them run the rules the sequential tests replace, for contrast: a fixed-horizon z-test ({@code z > 1.96})
 * read at the same looks past the sample floor, and the classic chi-squared SRM test (p below the SRM threshold) read
 * at every look.
 */
final class AbTestSimulation {

	/** Feedback events between two looks, as the issue asks. */
	static final int LOOK_EVERY = 100;

	static final double MEAN_FEEDBACK_DELAY = 300;

	static final double LOST_FEEDBACK = 0.1;

	private static final int CLASSES = 10;

	private static final int BUCKETS = 10_000;

	/**
	 * A variant of the simulated test.
	 *
	 * @param plannedWeight the weight the decision is told
	 * @param deliveredShare the share of units the assignment actually sends it
	 * @param accuracy the chance its model predicts the label
	 */
	record Arm(String name, double plannedWeight, double deliveredShare, double accuracy) {
	}

	/**
	 * How one simulated test ended.
	 *
	 * @param decision the last look's decision (final unless the test outran every look)
	 * @param units units assigned by then
	 * @param looks looks taken
	 * @param naivePromotion whether the fixed-horizon z-test would have promoted the challenger at some look
	 * @param classicSrmAlarm whether the classic chi-squared SRM p-value fell under the threshold at some look (the
	 * rule the always-valid SRM test replaced: it would have stopped the test there)
	 */
	record Run(Decision decision, long units, int looks, boolean naivePromotion, boolean classicSrmAlarm) {

		long feedbackEvents() {
			return decision.evidence().totalSamples();
		}

	}

	private record Feedback(double arrivesAt, int predictionId, int label) {
	}

	private final List<Arm> arms;

	private final DecisionEvaluator evaluator;

	private final int[] bucketBounds;

	AbTestSimulation(List<Arm> arms, DecisionPolicy policy) {
		this.arms = List.copyOf(arms);
		this.evaluator = new DecisionEvaluator(policy);
		this.bucketBounds = new int[arms.size()];
		double cumulative = 0;
		for (int k = 0; k < arms.size(); k++) {
			cumulative += arms.get(k).deliveredShare();
			bucketBounds[k] = (int) Math.round(cumulative * BUCKETS);
		}
		if (bucketBounds[arms.size() - 1] != BUCKETS) {
			throw new IllegalArgumentException("Delivered shares must add up to 1: " + arms);
		}
	}

	/** Runs {@code runs} tests, seeded {@code seed}, {@code seed + 1}, ... */
	List<Run> run(long seed, int runs) {
		List<Run> results = new ArrayList<>(runs);
		for (int i = 0; i < runs; i++) {
			results.add(run(seed + i));
		}
		return results;
	}

	Run run(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		long salt = random.nextLong();
		int variants = arms.size();
		long[] assignments = new long[variants];
		RewardAccumulator[] rewards = new RewardAccumulator[variants];
		Arrays.setAll(rewards, k -> new RewardAccumulator());
		long maxTotal = evaluator.policy().maxTotalSamples().orElse(Long.MAX_VALUE);

		PriorityQueue<Feedback> pending = new PriorityQueue<>((a, b) -> Double.compare(a.arrivesAt(), b.arrivesAt()));
		int[] predictedArm = new int[1024];
		int[] predictedLabel = new int[1024];
		long feedbackEvents = 0;
		int looks = 0;
		boolean naivePromotion = false;
		boolean classicSrmAlarm = false;
		Decision decision = null;
		for (int tick = 0;; tick++) {
			while (!pending.isEmpty() && pending.peek().arrivesAt() <= tick) {
				Feedback feedback = pending.poll();
				int arm = predictedArm[feedback.predictionId()];
				rewards[arm].add(predictedLabel[feedback.predictionId()] == feedback.label() ? 1 : 0);
				feedbackEvents++;
				if (feedbackEvents % LOOK_EVERY == 0 || feedbackEvents == maxTotal) {
					List<VariantStats> look = look(assignments, rewards);
					decision = evaluator.evaluate(look, decision);
					looks++;
					naivePromotion |= naivePromotes(look);
					classicSrmAlarm |= decision.evidence().sampleRatio().chiSquaredPValue() < evaluator.policy()
						.srmThreshold();
					if (decision.isFinal()) {
						return new Run(decision, tick, looks, naivePromotion, classicSrmAlarm);
					}
				}
			}

			int unit = tick;
			if (unit == predictedArm.length) {
				predictedArm = Arrays.copyOf(predictedArm, 2 * unit);
				predictedLabel = Arrays.copyOf(predictedLabel, 2 * unit);
			}
			int arm = assign(random.nextLong(), salt);
			assignments[arm]++;
			int label = random.nextInt(CLASSES);
			predictedArm[unit] = arm;
			predictedLabel[unit] = random.nextDouble() < arms.get(arm).accuracy() ? label
					: (label + 1 + random.nextInt(CLASSES - 1)) % CLASSES;
			if (random.nextDouble() >= LOST_FEEDBACK) {
				double delay = -MEAN_FEEDBACK_DELAY * Math.log(1 - random.nextDouble());
				pending.add(new Feedback(tick + delay, unit, label));
			}
		}
	}

	private int assign(long unitKey, long salt) {
		int bucket = (int) Long.remainderUnsigned(mix(unitKey ^ salt), BUCKETS);
		for (int k = 0; k < bucketBounds.length; k++) {
			if (bucket < bucketBounds[k]) {
				return k;
			}
		}
		throw new IllegalStateException("Bucket " + bucket + " beyond the split");
	}

	/** SplitMix64's finalizer: a well-mixed 64-bit hash. */
	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	private List<VariantStats> look(long[] assignments, RewardAccumulator[] rewards) {
		List<VariantStats> look = new ArrayList<>(arms.size());
		for (int k = 0; k < arms.size(); k++) {
			look.add(VariantStats.of(arms.get(k).name(), arms.get(k).plannedWeight(), assignments[k],
					rewards[k].snapshot()));
		}
		return look;
	}

	/** The fixed-horizon rule read at every look: challenger's z above 1.96 once the floor is reached. */
	private boolean naivePromotes(List<VariantStats> look) {
		RewardStats control = look.get(0).rewards();
		RewardStats challenger = look.get(1).rewards();
		long floor = evaluator.policy().minSamplesPerVariant();
		if (control.count() < floor || challenger.count() < floor) {
			return false;
		}
		double se = Math.sqrt(control.variance() / control.count() + challenger.variance() / challenger.count());
		return se > 0 && (challenger.mean() - control.mean()) / se > 1.959963984540054;
	}

}
