package dev.flywheel.router.assignment;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm, "Murmur3A" in SMHasher), written from the
 * published algorithm: the same 32-bit values as SMHasher's {@code MurmurHash3_x86_32}, Guava's
 * {@code Hashing.murmur3_32_fixed(seed).hashBytes}, Python's {@code mmh3.hash(..., signed=False)} and Bitcoin
 * Core's {@code MurmurHash3}. Strings are hashed as their UTF-8 bytes.
 * <p>
 * Assignment depends on these exact values across JVMs, restarts, replicas and versions of Flywheel, so this class
 * must never change its output: {@code Murmur3Tests} pins it to published test vectors and to SMHasher's
 * verification value.
 */
public final class Murmur3 {

	private static final int C1 = 0xcc9e2d51;

	private static final int C2 = 0x1b873593;

	private Murmur3() {
	}

	/** The hash of {@code text}'s UTF-8 bytes (an unpaired surrogate encodes as {@code ?}, as Java encodes it). */
	public static int hash32(String text, int seed) {
		return hash32(text.getBytes(StandardCharsets.UTF_8), seed);
	}

	/**
	 * The hash of {@code data} with a 32-bit seed.
	 *
	 * @return the 32-bit hash as an {@code int}; read it with {@link Integer#toUnsignedLong} or
	 * {@link Integer#remainderUnsigned} where its sign matters
	 */
	public static int hash32(byte[] data, int seed) {
		Objects.requireNonNull(data, "data");
		int h = seed;
		int blocks = data.length / 4;
		for (int i = 0; i < blocks; i++) {
			int at = 4 * i;
			// little-endian, as the reference reads blocks on x86
			int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
					| (data[at + 3] & 0xff) << 24;
			h ^= mixBlock(k);
			h = Integer.rotateLeft(h, 13);
			h = h * 5 + 0xe6546b64;
		}
		int tail = 4 * blocks;
		int remaining = data.length - tail;
		if (remaining > 0) {
			int k = data[tail] & 0xff;
			if (remaining > 1) {
				k |= (data[tail + 1] & 0xff) << 8;
			}
			if (remaining > 2) {
				k |= (data[tail + 2] & 0xff) << 16;
			}
			h ^= mixBlock(k);
		}
		h ^= data.length;
		return finalMix(h);
	}

	private static int mixBlock(int k) {
		k *= C1;
		k = Integer.rotateLeft(k, 15);
		return k * C2;
	}

	/** The reference's {@code fmix32}: every input bit affects every output bit. */
	private static int finalMix(int h) {
		h ^= h >>> 16;
		h *= 0x85ebca6b;
		h ^= h >>> 13;
		h *= 0xc2b2ae35;
		h ^= h >>> 16;
		return h;
	}

}
