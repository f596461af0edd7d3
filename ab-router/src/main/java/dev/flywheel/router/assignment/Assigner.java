package dev.flywheel.router.assignment;

import java.util.List;
import java.util.Objects;

/**
 * Sticky assignment of units to the variants of one A/B test: a pure function of the test's salt, its
 * {@link Split} and the unit key, with no other state, so that every instance, on any JVM, replica or restart,
 * assigns a unit key alike.
 * <p>
 * <b>Hashing.</b> With {@code murmur3_32(bytes, seed)} MurmurHash3 x86_32 ({@link Murmur3}) and strings taken as
 * their UTF-8 bytes:
 * <pre>
 * seed   = murmur3_32(salt, 0)
 * bucket = unsigned(murmur3_32(unitKey, seed)) mod 10000
 * variant = the variant that owns bucket in the split
 * </pre>
 * The salt is a string chosen when the A/B test is created, stored with it and never changed: changing weights keeps
 * it, so a unit keeps its bucket and moves only when its bucket does ({@link Split} says when). Different salts
 * give independent buckets, so two A/B tests do not put the same units together; two tests given the same salt
 * would put them together, so the router makes each test's salt unique (a random UUID at creation).
 * <p>
 * {@code 2^32 mod 10000 = 7296}, so buckets below 7296 are more likely than the others by a factor of
 * {@code 1 + 1/429496}: a bias of 2.3·10⁻⁶ of a bucket's share, far below anything an A/B test can measure.
 */
public final class Assigner {

	private final String salt;

	private final int seed;

	private final Split split;

	/**
	 * @param salt the A/B test's salt, not empty
	 * @param split how its buckets are split between its variants
	 */
	public Assigner(String salt, Split split) {
		Objects.requireNonNull(salt, "salt");
		if (salt.isEmpty()) {
			throw new IllegalArgumentException("An A/B test's salt must not be empty");
		}
		this.salt = salt;
		this.seed = seedOf(salt);
		this.split = Objects.requireNonNull(split, "split");
	}

	/** The hash seed of a salt: {@code murmur3_32(UTF-8 bytes of salt, 0)}. */
	public static int seedOf(String salt) {
		return Murmur3.hash32(salt, 0);
	}

	/** The bucket of a unit key under a seed: {@code unsigned(murmur3_32(UTF-8 bytes of unitKey, seed)) mod 10000}. */
	public static int bucketOf(int seed, String unitKey) {
		return Integer.remainderUnsigned(Murmur3.hash32(unitKey, seed), Split.BUCKETS);
	}

	/** The unit key's bucket in this A/B test. */
	public int bucketOf(String unitKey) {
		return bucketOf(seed, unitKey);
	}

	/** The index of the unit key's variant, in the A/B test's declared order. */
	public int variantOf(String unitKey) {
		return split.variantOf(bucketOf(unitKey));
	}

	/** Assigns a unit. */
	public Assignment assign(UnitKey unitKey) {
		int bucket = bucketOf(unitKey.value());
		return new Assignment(unitKey, bucket, split.variantOf(bucket));
	}

	/** The assigner after a change of weights: the same salt, the split {@linkplain Split#reweighted reweighted}. */
	public Assigner reweighted(List<Double> weights) {
		return new Assigner(salt, split.reweighted(weights));
	}

	public String salt() {
		return salt;
	}

	public Split split() {
		return split;
	}

	@Override
	public String toString() {
		return "Assigner[" + split + "]";
	}

}
