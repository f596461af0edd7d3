package dev.flywheel.router.assignment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitTests {

	private static final int BUCKETS = Split.BUCKETS;

	/** The total of the integer weights the property tests use: exact doubles, so equal shares compare equal. */
	private static final double TOTAL = 1_000_000;

	/** The smallest integer weight the property tests leave a variant: twice the limit of one bucket. */
	private static final double MIN_WEIGHT = 200;

	@Test
	void aFreshSplitGivesCumulativeRangesInDeclaredOrder() {
		Split split = Split.of(List.of(10.0, 90.0));

		assertThat(split.bucketCount(0)).isEqualTo(1000);
		assertThat(split.bucketCount(1)).isEqualTo(9000);
		assertThat(split.variantOf(0)).isZero();
		assertThat(split.variantOf(999)).isZero();
		assertThat(split.variantOf(1000)).isEqualTo(1);
		assertThat(split.variantOf(9999)).isEqualTo(1);
		assertThat(split.shares()).containsExactly(0.1, 0.9);
	}

	@Test
	void countsRoundByLargestRemainderWithTiesToTheEarlierVariant() {
		// 10000/3 = 3333.33 each: one bucket left over, to the first of three equal remainders
		assertThat(counts(Split.of(List.of(1.0, 1.0, 1.0)))).containsExactly(3334, 3333, 3333);
		// 10000/7 = 1428.571: four buckets left over, to the first four
		assertThat(counts(Split.of(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0))))
			.containsExactly(1429, 1429, 1429, 1429, 1428, 1428, 1428);
		// 3333.5, 3333.3, 3333.2: the one left over goes to the largest remainder, the first
		assertThat(counts(Split.of(List.of(33.335, 33.333, 33.332)))).containsExactly(3334, 3333, 3333);
		// 0.1 + 0.2 is not 0.3 in binary: the split rounds the exact binary values, the same on every JVM
		assertThat(counts(Split.of(List.of(0.1, 0.2, 0.7)))).containsExactly(1000, 2000, 7000);
		// the smallest weight that still gets a bucket: exactly 1/10000 of the total
		assertThat(counts(Split.of(List.of(1.0, 9999.0)))).containsExactly(1, 9999);
	}

	@Test
	void countsSumToExactlyTenThousandAndStayWithinOneBucketOfTheExactShare() {
		SplittableRandom random = new SplittableRandom(11);
		for (int trial = 0; trial < 1000; trial++) {
			List<Double> weights = randomWeights(random, 2 + random.nextInt(9));
			Split split = Split.of(weights);
			double[] exact = exactShares(weights);

			assertThat(IntStream.of(counts(split)).sum()).isEqualTo(BUCKETS);
			for (int j = 0; j < weights.size(); j++) {
				assertThat(Math.abs(split.bucketCount(j) - exact[j])).as("variant %d of %s", j, weights)
					.isLessThan(1);
			}
		}
	}

	@Test
	void raisingOneVariantMovesUnitsOnlyIntoIt() {
		// A random walk of weight changes, each raising exactly one variant's share and lowering the others in one
		// of three ways: keeping their weights (so their shares fall in proportion), lowering them by arbitrary
		// amounts (some not at all), or rescaling everything. Checked on all 10,000 buckets, so for every unit key.
		SplittableRandom random = new SplittableRandom(20240611);
		int changes = 0;
		int movedBuckets = 0;
		List<String> wrongMoves = new ArrayList<>();
		double worstDeviation = 0;
		for (int variants : new int[] { 2, 3, 4, 6, 10 }) {
			Split split = Split.of(integerWeights(random, variants));
			for (int step = 0; step < 400; step++) {
				int raised = raisable(random, split.weights());
				List<Double> next = raiseOne(random, split.weights(), raised);
				assertThat(risingShares(split.weights(), next)).as("the generator raises exactly one share")
					.containsExactly(raised);

				Split after = split.reweighted(next);

				for (int bucket = 0; bucket < BUCKETS; bucket++) {
					if (after.variantOf(bucket) != split.variantOf(bucket)) {
						movedBuckets++;
						if (after.variantOf(bucket) != raised) {
							wrongMoves.add("bucket " + bucket + " from variant " + split.variantOf(bucket) + " to "
									+ after.variantOf(bucket) + ", raising " + raised + ": " + split + " to " + next);
						}
					}
				}
				assertThat(after.bucketCount(raised)).isGreaterThanOrEqualTo(split.bucketCount(raised));
				worstDeviation = Math.max(worstDeviation, checkCounts(after));
				split = after;
				changes++;
			}
		}
		assertThat(wrongMoves).isEmpty();
		assertThat(changes).isEqualTo(2000);
		assertThat(movedBuckets).as("the walk really moves units").isGreaterThan(100_000);
		// the price of never moving a unit the wrong way: a count may end a little over one bucket from its share
		assertThat(worstDeviation).isLessThan(2);
	}

	@Test
	void anyChangeMovesUnitsOnlyFromVariantsWhoseShareFellToVariantsWhoseShareRose() {
		// arbitrary changes, in turn: new real weights of a new total, new integer weights of the fixed total, and
		// integer weights of that total that keep about half of the variants' shares exactly and redistribute the rest
		SplittableRandom random = new SplittableRandom(5);
		List<String> wrongMoves = new ArrayList<>();
		int unchangedShares = 0;
		double worstDeviation = 0;
		for (int variants : new int[] { 2, 3, 5, 8 }) {
			Split split = Split.of(integerWeights(random, variants));
			for (int step = 0; step < 250; step++) {
				List<Double> next = switch (step % 3) {
					case 0 -> randomWeights(random, variants);
					case 1 -> integerWeights(random, variants);
					default -> keepSome(random, split.weights());
				};
				int[] trend = trends(split.weights(), next);

				Split after = split.reweighted(next);

				for (int bucket = 0; bucket < BUCKETS; bucket++) {
					int from = split.variantOf(bucket);
					int to = after.variantOf(bucket);
					if (from != to && (trend[from] >= 0 || trend[to] <= 0)) {
						wrongMoves.add("bucket " + bucket + " from variant " + from + " to " + to + ": " + split
								+ " to " + next);
					}
				}
				for (int j = 0; j < variants; j++) {
					if (trend[j] == 0) {
						unchangedShares++;
						assertThat(after.buckets(j)).isEqualTo(split.buckets(j));
					}
				}
				worstDeviation = Math.max(worstDeviation, checkCounts(after));
				split = after;
			}
		}
		assertThat(wrongMoves).isEmpty();
		assertThat(unchangedShares).as("the walk keeps some shares").isGreaterThan(300);
		assertThat(worstDeviation).isLessThan(2);
	}

	@Test
	void theNaiveCumulativeLayoutWouldMoveUnitsBetweenTwoOtherVariants() {
		// Why a split remembers its history: raising C at A's expense and recomputing cumulative ranges shifts B's
		// range, so 1000 buckets of units move from A to B, neither of which was raised.
		Split before = Split.of(List.of(50.0, 30.0, 20.0));
		List<Double> after = List.of(40.0, 30.0, 30.0);

		Split naive = Split.of(after);
		Split rampSafe = before.reweighted(after);

		assertThat(counts(naive)).containsExactly(counts(rampSafe)).containsExactly(4000, 3000, 3000);
		long naiveAToB = IntStream.range(0, BUCKETS)
			.filter(b -> before.variantOf(b) == 0 && naive.variantOf(b) == 1)
			.count();
		assertThat(naiveAToB).isEqualTo(1000);
		// ramp-safe: B keeps exactly its buckets, and C takes the top 1000 of A's range, the ones A acquired last
		assertThat(rampSafe.buckets(1)).isEqualTo(before.buckets(1));
		assertThat(rampSafe.buckets(2)).startsWith(before.buckets(2));
		assertThat(IntStream.range(4000, 5000).allMatch(b -> rampSafe.variantOf(b) == 2)).isTrue();
		assertThat(IntStream.range(0, BUCKETS)
			.filter(b -> before.variantOf(b) != rampSafe.variantOf(b))
			.allMatch(b -> rampSafe.variantOf(b) == 2)).isTrue();
	}

	@Test
	void rampingUpAndBackDownRestoresTheEarlierSplitExactly() {
		Split start = Split.of(List.of(70.0, 20.0, 10.0));

		Split ramped = start.reweighted(List.of(60.0, 20.0, 20.0)).reweighted(List.of(40.0, 20.0, 40.0));
		Split back = ramped.reweighted(List.of(60.0, 20.0, 20.0)).reweighted(List.of(70.0, 20.0, 10.0));

		assertThat(back).isEqualTo(start);
		assertThat(ramped.buckets(1)).isEqualTo(start.buckets(1));
	}

	@Test
	void equalOrProportionalWeightsChangeNothing() {
		Split split = Split.of(List.of(1.0, 2.0, 3.0)).reweighted(List.of(3.0, 1.0, 2.0));

		assertThat(split.reweighted(List.of(3.0, 1.0, 2.0))).isEqualTo(split);
		Split scaled = split.reweighted(List.of(6.0, 2.0, 4.0));
		for (int j = 0; j < 3; j++) {
			assertThat(scaled.buckets(j)).isEqualTo(split.buckets(j));
		}
	}

	@Test
	void replayingAWeightHistoryGivesTheSameSplitEveryTime() {
		List<List<Double>> history = List.of(List.of(90.0, 5.0, 5.0), List.of(80.0, 10.0, 10.0),
				List.of(60.0, 30.0, 10.0), List.of(50.0, 30.0, 20.0));

		Split replayed = Split.replay(history);

		assertThat(Split.replay(history)).isEqualTo(replayed).hasSameHashCodeAs(replayed);
		assertThat(replayed).isEqualTo(Split.of(history.get(0))
			.reweighted(history.get(1))
			.reweighted(history.get(2))
			.reweighted(history.get(3)));
		assertThat(counts(replayed)).containsExactly(5000, 3000, 2000);
		assertThat(replayed.weights()).isEqualTo(history.get(3));
	}

	@Test
	void refusesWeightsThatAreNotPositiveFiniteNumbers() {
		assertThatThrownBy(() -> Split.of(List.of(1.0, 0.0))).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("The weight of variant 1 must be a positive, finite number: 0.0");
		assertThatThrownBy(() -> Split.of(List.of(-1.0, 2.0)))
			.hasMessage("The weight of variant 0 must be a positive, finite number: -1.0");
		assertThatThrownBy(() -> Split.of(List.of(1.0, Double.NaN)))
			.hasMessage("The weight of variant 1 must be a positive, finite number: NaN");
		assertThatThrownBy(() -> Split.of(List.of(1.0, Double.POSITIVE_INFINITY)))
			.hasMessage("The weight of variant 1 must be a positive, finite number: Infinity");
		assertThatThrownBy(() -> Split.of(Arrays.asList(1.0, null)))
			.hasMessage("The weight of variant 1 must be a positive, finite number: null");
	}

	@Test
	void refusesFewerThanTwoVariants() {
		assertThatThrownBy(() -> Split.of(List.of())).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("An A/B test needs two or more variants, each with a weight: got none");
		assertThatThrownBy(() -> Split.of(List.of(100.0)))
			.hasMessage("An A/B test needs two or more variants, each with a weight: got one, 100.0");
	}

	@Test
	void refusesAVariantThatWouldGetNoBucket() {
		assertThatThrownBy(() -> Split.of(List.of(0.5, 9999.5))).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("The weight of variant 0, 0.5, is under 1/10000 of the total weight 10000.0: "
					+ "the variant would get no bucket");
	}

	@Test
	void refusesToChangeTheNumberOfVariantsOrToReweightWithInvalidWeights() {
		Split split = Split.of(List.of(1.0, 1.0));

		assertThatThrownBy(() -> split.reweighted(List.of(1.0, 1.0, 1.0)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("An A/B test keeps its variants: 3 weights given for 2 variants");
		assertThatThrownBy(() -> split.reweighted(List.of(1.0, 0.0))).hasMessageContaining("positive");
		assertThatThrownBy(() -> Split.replay(List.of())).hasMessageContaining("first weights");
		assertThatThrownBy(() -> split.variantOf(BUCKETS)).hasMessageContaining("[0, 10000)");
	}

	/** A variant whose share can rise: one with another variant above the smallest weight the walk allows. */
	private static int raisable(SplittableRandom random, List<Double> weights) {
		double total = weights.stream().mapToDouble(Double::doubleValue).sum();
		while (true) {
			int raised = random.nextInt(weights.size());
			for (int j = 0; j < weights.size(); j++) {
				if (j != raised && weights.get(j) / total * TOTAL > MIN_WEIGHT + 1) {
					return raised;
				}
			}
		}
	}

	/**
	 * New weights that raise {@code raised}'s share and lower or keep every other share, in one of three ways:
	 * the others keep their weights (their shares fall in proportion, the usual ramp), the others are lowered by
	 * arbitrary amounts (some not at all), or the others are all scaled down by one factor.
	 */
	private static List<Double> raiseOne(SplittableRandom random, List<Double> weights, int raised) {
		// integer weights summing to 1,000,000 are exact doubles, so a share that stays keeps exactly its value;
		// rescaling rounds the others down and gives the rounding to the raised variant, so no other share rises
		List<Double> base = normalized(weights, raised);
		List<Double> next = new ArrayList<>(base);
		int mode = random.nextInt(3);
		if (mode == 0) {
			next.set(raised, Math.rint(base.get(raised) * (1.05 + 2 * random.nextDouble())));
			double total = next.stream().mapToDouble(Double::doubleValue).sum();
			if (next.stream().allMatch(w -> w / total * TOTAL >= MIN_WEIGHT)) {
				return next;
			}
			next = new ArrayList<>(base);
			mode = 1;
		}
		double freed = 0;
		double factor = 0.5 + 0.49 * random.nextDouble();
		for (int j = 0; j < base.size(); j++) {
			double weight = base.get(j);
			if (j == raised || weight <= MIN_WEIGHT) {
				continue;
			}
			double lowered = mode == 1
					? (random.nextBoolean() ? weight - Math.floor((weight - MIN_WEIGHT) * random.nextDouble()) : weight)
					: Math.max(MIN_WEIGHT, Math.floor(weight * factor));
			next.set(j, lowered);
			freed += weight - lowered;
		}
		if (freed == 0) {
			int donor = largestOther(base, raised);
			next.set(donor, base.get(donor) - 1);
			freed = 1;
		}
		next.set(raised, base.get(raised) + freed);
		return next;
	}

	private static int largestOther(List<Double> weights, int raised) {
		int largest = raised == 0 ? 1 : 0;
		for (int j = 0; j < weights.size(); j++) {
			if (j != raised && weights.get(j) > weights.get(largest)) {
				largest = j;
			}
		}
		return largest;
	}

	/** The same shares as integer weights summing to {@link #TOTAL}: the others round down, {@code raised} takes the rest. */
	private static List<Double> normalized(List<Double> weights, int raised) {
		double total = weights.stream().mapToDouble(Double::doubleValue).sum();
		if (total == TOTAL) {
			return weights;
		}
		List<Double> next = new ArrayList<>(weights.size());
		double others = 0;
		for (int j = 0; j < weights.size(); j++) {
			double weight = j == raised ? 0 : Math.floor(weights.get(j) / total * TOTAL);
			next.add(weight);
			others += weight;
		}
		next.set(raised, TOTAL - others);
		return next;
	}

	/** Random integer weights summing to {@link #TOTAL}, each at least {@link #MIN_WEIGHT}. */
	private static List<Double> integerWeights(SplittableRandom random, int variants) {
		List<Double> weights = randomWeights(random, variants);
		double total = weights.stream().mapToDouble(Double::doubleValue).sum();
		List<Double> integers = new ArrayList<>();
		double sum = 0;
		for (int j = 1; j < variants; j++) {
			double weight = Math.max(MIN_WEIGHT, Math.floor(weights.get(j) / total * TOTAL));
			integers.add(weight);
			sum += weight;
		}
		integers.add(0, TOTAL - sum);
		return integers;
	}

	/** Random weights with a wide spread of shares, each well above 1/10000 of the total. */
	private static List<Double> randomWeights(SplittableRandom random, int variants) {
		List<Double> weights = new ArrayList<>();
		for (int j = 0; j < variants; j++) {
			weights.add(Math.exp(3 * random.nextDouble()) * (random.nextBoolean() ? 1 : 0.05));
		}
		return weights;
	}

	/**
	 * Integer weights of the same total as {@code weights} (integers summing to {@link #TOTAL}) that keep about half
	 * of them and share what the others had between those others at random.
	 */
	private static List<Double> keepSome(SplittableRandom random, List<Double> weights) {
		List<Double> next = new ArrayList<>(weights);
		List<Integer> redistributed = new ArrayList<>();
		double pool = 0;
		for (int j = 0; j < weights.size(); j++) {
			if (random.nextBoolean()) {
				redistributed.add(j);
				pool += weights.get(j) - MIN_WEIGHT;
			}
		}
		if (redistributed.size() < 2) {
			return integerWeights(random, weights.size());
		}
		double left = pool;
		for (int i = 0; i < redistributed.size(); i++) {
			double part = i == redistributed.size() - 1 ? left : Math.floor(left * random.nextDouble());
			next.set(redistributed.get(i), MIN_WEIGHT + part);
			left -= part;
		}
		return next;
	}

	/** Per variant, −1, 0 or +1 as its exact share fell, stayed or rose. */
	private static int[] trends(List<Double> before, List<Double> after) {
		BigDecimal totalBefore = exactTotal(before);
		BigDecimal totalAfter = exactTotal(after);
		int[] trends = new int[before.size()];
		for (int j = 0; j < trends.length; j++) {
			trends[j] = new BigDecimal(after.get(j)).multiply(totalBefore)
				.compareTo(new BigDecimal(before.get(j)).multiply(totalAfter));
		}
		return trends;
	}

	private static List<Integer> risingShares(List<Double> before, List<Double> after) {
		int[] trends = trends(before, after);
		return IntStream.range(0, trends.length).filter(j -> trends[j] > 0).boxed().toList();
	}

	private static BigDecimal exactTotal(List<Double> weights) {
		return weights.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	private static double[] exactShares(List<Double> weights) {
		BigDecimal total = exactTotal(weights);
		return weights.stream()
			.mapToDouble(w -> new BigDecimal(w).multiply(BigDecimal.valueOf(BUCKETS))
				.divide(total, java.math.MathContext.DECIMAL64)
				.doubleValue())
			.toArray();
	}

	/** Checks the counts' invariants; returns the largest distance of a count from its exact share, in buckets. */
	private static double checkCounts(Split split) {
		int[] counts = counts(split);
		assertThat(IntStream.of(counts).sum()).isEqualTo(BUCKETS);
		assertThat(IntStream.of(counts).min().getAsInt()).isPositive();
		double[] exact = exactShares(split.weights());
		double worst = 0;
		for (int j = 0; j < counts.length; j++) {
			worst = Math.max(worst, Math.abs(counts[j] - exact[j]));
		}
		return worst;
	}

	private static int[] counts(Split split) {
		return IntStream.range(0, split.variants()).map(split::bucketCount).toArray();
	}

}
