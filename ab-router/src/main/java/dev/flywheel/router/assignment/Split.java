package dev.flywheel.router.assignment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How the {@value #BUCKETS} buckets of an A/B test are split between its variants: which variant each bucket
 * belongs to, for the current weights and the weights the test had before. Immutable.
 * <p>
 * <b>Counts.</b> Weights are positive numbers of any scale; variant {@code j}'s exact share is
 * {@code q_j = 10000·w_j/Σw}, computed in exact decimal arithmetic (a {@code double} converts to
 * {@link BigDecimal} exactly), so that every JVM rounds alike. A fresh split gives each variant {@code ⌊q_j⌋}
 * buckets and the buckets left over, one each, to the largest remainders {@code q_j − ⌊q_j⌋} (ties to the variant
 * declared first): the counts sum to exactly {@value #BUCKETS} and each is within one bucket of its exact share.
 * Every variant must have at least one bucket's worth of weight (1/{@value #BUCKETS} of the total).
 * <p>
 * <b>A fresh split</b> ({@link #of}) gives the variants cumulative ranges of buckets in their declared order:
 * with counts {@code c_0, c_1, …} variant 0 owns {@code [0, c_0)}, variant 1 {@code [c_0, c_0 + c_1)}, and so on.
 * <p>
 * <b>A change of weights</b> ({@link #reweighted}) does not lay the buckets out afresh; it moves as few buckets as
 * it must, and only in the direction the weights moved:
 * <ol>
 * <li>Each variant's exact share either fell, rose or stayed the same (compared exactly:
 * {@code w'_j·Σw} against {@code w_j·Σw'}).</li>
 * <li>New counts: the largest-remainder counts of the new weights, except that a variant whose share fell keeps at
 * most its current buckets, one whose share rose keeps at least its current buckets, and one whose share stayed the
 * same keeps exactly its current count. Until the counts sum to {@value #BUCKETS}, one bucket at a time: when they
 * fall short, the variant furthest below its exact share gains one; when they exceed it, the variant furthest above
 * loses one; each time among the variants those bounds let move that way (ties as in the fresh split).</li>
 * <li>A variant whose count falls releases the buckets it acquired last (it keeps each variant's buckets in the
 * order it acquired them); the released buckets, variant by variant in declared order, go to the variants whose
 * count rose, in declared order, each appending them to its own.</li>
 * </ol>
 * <b>The guarantee</b>, for any change of weights: a bucket (and so every unit hashed into it) moves only from a
 * variant whose share fell to a variant whose share rose. A variant whose share did not fall loses no unit, one
 * whose share did not rise gains none, and a variant whose share is unchanged keeps exactly its units. In
 * particular, <b>raising one variant's share, however the others are lowered, moves units only into the raised
 * variant</b>, never between two others; lowering one variant's share moves units only out of it. (Shares, not
 * weights: raising one weight and leaving the others lowers every other share in proportion; with weights that keep
 * one total, such as percentages, raising one weight and lowering others is the same as for shares.) Because buckets
 * leave in the reverse order they came, ramping a variant up and back down to the same weights restores the earlier
 * split exactly.
 * <p>
 * <b>Why the split remembers the weights before.</b> No rule that computes the split from the current weights alone
 * can keep that guarantee for three or more variants. With variants A, B and C, a change that trades buckets between
 * two of them must leave the third's buckets where they are, so each variant's buckets would depend on its own count
 * only, and grow as it grows. With A at 9997 buckets, B and C share the three others as 2 + 1 or as 1 + 2, the same
 * three buckets either way; so the bucket B gains from 1 to 2 is the one C gains from 1 to 2, and with A at 9996,
 * B and C, at 2 each, would both own it. The cumulative layout recomputed from new weights is the usual casualty:
 * raising C at A's expense shifts B's range, and units move from A to B. So a split is a function of the <em>history</em> of an A/B test's weights:
 * {@link #replay} rebuilds it from that history, which the router stores with the test; every replica and every
 * restart replays the same history and gets the same split.
 * <p>
 * The price: a variant whose share did not change keeps its count, with the rounding it had, and a variant whose
 * share fell may not take back a rounding bucket, so after changes the others absorb those roundings and a count
 * can end a little more than one bucket (0.01% of the traffic) from its exact share; over 118,000 random changes of
 * 3 to 16 variants the largest distance seen was 1.15 buckets, and {@code SplitTests} checks it stays under 2. The
 * shares that units really get are {@link #shares()}, which is what a sample ratio mismatch check should compare
 * assignment counts against.
 */
public final class Split {

	/** The number of buckets a unit hashes into; one bucket is 0.01% of the traffic. */
	public static final int BUCKETS = 10_000;

	private static final BigDecimal BUCKETS_DECIMAL = BigDecimal.valueOf(BUCKETS);

	private final List<Double> weights;

	/** Per variant, its buckets in the order it acquired them. Never modified once built. */
	private final int[][] buckets;

	private final short[] variantOfBucket = new short[BUCKETS];

	private Split(List<Double> weights, int[][] buckets) {
		this.weights = weights;
		this.buckets = buckets;
		Arrays.fill(variantOfBucket, (short) -1);
		for (int variant = 0; variant < buckets.length; variant++) {
			for (int bucket : buckets[variant]) {
				if (variantOfBucket[bucket] != -1) {
					throw new IllegalStateException("Bucket " + bucket + " given twice");
				}
				variantOfBucket[bucket] = (short) variant;
			}
		}
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			if (variantOfBucket[bucket] == -1) {
				throw new IllegalStateException("Bucket " + bucket + " given to no variant");
			}
		}
	}

	/**
	 * The split of an A/B test that has never changed its weights: cumulative ranges of buckets in the variants'
	 * declared order, counts by largest remainder.
	 *
	 * @param weights one positive, finite weight per variant, in declared order; two or more variants
	 * @throws IllegalArgumentException for fewer than two weights, a weight that is not a positive finite number, or
	 * one under 1/{@value #BUCKETS} of the total
	 */
	public static Split of(List<Double> weights) {
		List<Double> checked = checkWeights(weights);
		int[] counts = largestRemainder(checked);
		int[][] buckets = new int[counts.length][];
		int next = 0;
		for (int variant = 0; variant < counts.length; variant++) {
			buckets[variant] = new int[counts[variant]];
			for (int i = 0; i < counts[variant]; i++) {
				buckets[variant][i] = next++;
			}
		}
		return new Split(checked, buckets);
	}

	/**
	 * The split after a history of weights: {@code of(history[0])}, then {@link #reweighted} by each later entry.
	 *
	 * @param history every weight list the A/B test has had, oldest first
	 */
	public static Split replay(List<? extends List<Double>> history) {
		Objects.requireNonNull(history, "history");
		if (history.isEmpty()) {
			throw new IllegalArgumentException("A weight history needs at least the A/B test's first weights");
		}
		Split split = of(history.get(0));
		for (List<Double> weights : history.subList(1, history.size())) {
			split = split.reweighted(weights);
		}
		return split;
	}

	/**
	 * The split after a change of weights, moving units only from variants whose share fell to variants whose share
	 * rose (see the class documentation for the rule). Weights equal or exactly proportional to the current ones
	 * leave every bucket where it is.
	 *
	 * @param newWeights one weight per variant, in the same order as before (an A/B test's variants are fixed)
	 * @throws IllegalArgumentException for invalid weights or a different number of them
	 */
	public Split reweighted(List<Double> newWeights) {
		List<Double> checked = checkWeights(newWeights);
		int variants = buckets.length;
		if (checked.size() != variants) {
			throw new IllegalArgumentException("An A/B test keeps its variants: " + checked.size()
					+ " weights given for " + variants + " variants");
		}
		BigDecimal oldTotal = total(weights);
		BigDecimal newTotal = total(checked);
		int[] counts = largestRemainder(checked);
		int[] low = new int[variants];
		int[] high = new int[variants];
		for (int j = 0; j < variants; j++) {
			int current = buckets[j].length;
			int trend = exact(checked.get(j)).multiply(oldTotal).compareTo(exact(weights.get(j)).multiply(newTotal));
			low[j] = trend < 0 ? 1 : current;
			high[j] = trend > 0 ? BUCKETS : current;
			counts[j] = Math.max(low[j], Math.min(high[j], counts[j]));
		}
		settle(counts, low, high, checked, newTotal);
		return new Split(checked, move(counts));
	}

	/** Brings the counts to a sum of exactly {@value #BUCKETS}, within their bounds, nearest the exact shares first. */
	private static void settle(int[] counts, int[] low, int[] high, List<Double> weights, BigDecimal total) {
		int excess = Arrays.stream(counts).sum() - BUCKETS;
		while (excess != 0) {
			int chosen = -1;
			BigDecimal chosenDeficit = null;
			for (int j = 0; j < counts.length; j++) {
				boolean movable = excess > 0 ? counts[j] > low[j] : counts[j] < high[j];
				if (!movable) {
					continue;
				}
				// 10000·w_j − c_j·Σw: how far the count lies below the exact share, in units of 1/Σw buckets
				BigDecimal deficit = exact(weights.get(j)).multiply(BUCKETS_DECIMAL)
					.subtract(BigDecimal.valueOf(counts[j]).multiply(total));
				// short: the largest deficit gains (ties to the earlier); excess: the smallest loses (ties to the later)
				int order = chosenDeficit == null ? 0 : deficit.compareTo(chosenDeficit);
				if (chosenDeficit == null || (excess < 0 ? order > 0 : order <= 0)) {
					chosen = j;
					chosenDeficit = deficit;
				}
			}
			if (chosen < 0) {
				// cannot happen: the current counts satisfy every bound and sum to BUCKETS
				throw new IllegalStateException("No variant may take the " + excess + " buckets left");
			}
			counts[chosen] += excess > 0 ? -1 : 1;
			excess += excess > 0 ? -1 : 1;
		}
	}

	/** Releases the last-acquired buckets of variants that shrink and appends them to those that grow. */
	private int[][] move(int[] counts) {
		int[][] moved = new int[buckets.length][];
		int[] pool = new int[BUCKETS];
		int released = 0;
		for (int j = 0; j < buckets.length; j++) {
			int current = buckets[j].length;
			if (counts[j] < current) {
				System.arraycopy(buckets[j], counts[j], pool, released, current - counts[j]);
				released += current - counts[j];
				moved[j] = Arrays.copyOf(buckets[j], counts[j]);
			}
		}
		int taken = 0;
		for (int j = 0; j < buckets.length; j++) {
			int current = buckets[j].length;
			if (counts[j] > current) {
				moved[j] = Arrays.copyOf(buckets[j], counts[j]);
				System.arraycopy(pool, taken, moved[j], current, counts[j] - current);
				taken += counts[j] - current;
			}
			else if (counts[j] == current) {
				moved[j] = buckets[j];
			}
		}
		if (taken != released) {
			throw new IllegalStateException("Released " + released + " buckets but handed out " + taken);
		}
		return moved;
	}

	/** The variant that owns {@code bucket}, an index into the weights. */
	public int variantOf(int bucket) {
		if (bucket < 0 || bucket >= BUCKETS) {
			throw new IllegalArgumentException("A bucket lies in [0, " + BUCKETS + "): " + bucket);
		}
		return variantOfBucket[bucket];
	}

	/** The number of variants. */
	public int variants() {
		return buckets.length;
	}

	/** The current weights, in declared order. */
	public List<Double> weights() {
		return weights;
	}

	/** How many buckets {@code variant} owns. */
	public int bucketCount(int variant) {
		return buckets[variant].length;
	}

	/** The share of units each variant gets, {@code bucketCount/10000}: the split to check assignments against. */
	public List<Double> shares() {
		List<Double> shares = new ArrayList<>(buckets.length);
		for (int[] owned : buckets) {
			shares.add(owned.length / (double) BUCKETS);
		}
		return List.copyOf(shares);
	}

	/** The buckets {@code variant} owns, in the order it acquired them (the last ones leave first). */
	public int[] buckets(int variant) {
		return buckets[variant].clone();
	}

	/** Equal when the weights and every variant's buckets, in acquisition order, are equal. */
	@Override
	public boolean equals(Object other) {
		return this == other || other instanceof Split that && weights.equals(that.weights)
				&& Arrays.deepEquals(buckets, that.buckets);
	}

	@Override
	public int hashCode() {
		return 31 * weights.hashCode() + Arrays.deepHashCode(buckets);
	}

	@Override
	public String toString() {
		int[] counts = Arrays.stream(buckets).mapToInt(owned -> owned.length).toArray();
		return "Split[weights=" + weights + ", buckets=" + Arrays.toString(counts) + "]";
	}

	private static List<Double> checkWeights(List<Double> weights) {
		Objects.requireNonNull(weights, "weights");
		if (weights.size() < 2) {
			throw new IllegalArgumentException("An A/B test needs two or more variants, each with a weight: got "
					+ (weights.isEmpty() ? "none" : "one, " + weights.get(0)));
		}
		if (weights.size() > BUCKETS) {
			throw new IllegalArgumentException(
					"An A/B test has at most " + BUCKETS + " variants, one bucket each: got " + weights.size());
		}
		for (int j = 0; j < weights.size(); j++) {
			Double weight = weights.get(j);
			if (weight == null || !(weight > 0) || weight.isInfinite()) {
				throw new IllegalArgumentException(
						"The weight of variant " + j + " must be a positive, finite number: " + weight);
			}
		}
		List<Double> checked = List.copyOf(weights);
		BigDecimal total = total(checked);
		for (int j = 0; j < checked.size(); j++) {
			if (exact(checked.get(j)).multiply(BUCKETS_DECIMAL).compareTo(total) < 0) {
				throw new IllegalArgumentException("The weight of variant " + j + ", " + checked.get(j)
						+ ", is under 1/" + BUCKETS + " of the total weight " + total.doubleValue()
						+ ": the variant would get no bucket");
			}
		}
		return checked;
	}

	/** ⌊q_j⌋ each, then one more to each of the largest remainders (ties to the earlier variant). */
	private static int[] largestRemainder(List<Double> weights) {
		BigDecimal total = total(weights);
		int[] counts = new int[weights.size()];
		BigDecimal[] remainders = new BigDecimal[weights.size()];
		int left = BUCKETS;
		for (int j = 0; j < counts.length; j++) {
			BigDecimal[] quotient = exact(weights.get(j)).multiply(BUCKETS_DECIMAL).divideAndRemainder(total);
			counts[j] = quotient[0].intValueExact();
			remainders[j] = quotient[1];
			left -= counts[j];
		}
		Integer[] order = new Integer[counts.length];
		Arrays.setAll(order, j -> j);
		// stable sort: equal remainders keep the declared order
		Arrays.sort(order, (a, b) -> remainders[b].compareTo(remainders[a]));
		for (int i = 0; i < left; i++) {
			counts[order[i]]++;
		}
		return counts;
	}

	private static BigDecimal total(List<Double> weights) {
		BigDecimal total = BigDecimal.ZERO;
		for (double weight : weights) {
			total = total.add(exact(weight));
		}
		return total;
	}

	private static BigDecimal exact(double value) {
		return new BigDecimal(value);
	}

}
