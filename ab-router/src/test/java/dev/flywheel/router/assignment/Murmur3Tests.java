package dev.flywheel.router.assignment;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Published MurmurHash3 x86_32 vectors, from sources independent of each other and of this code: SMHasher's
 * verification value (Appleby's {@code main.cpp}, also asserted by Guava's {@code Murmur3Hash32Test}), Guava's
 * {@code Murmur3Hash32Test.testKnownEncodedStringInputs} (UTF-8, seed 0), Bitcoin Core's
 * {@code src/test/hash_tests.cpp} (hex inputs covering every tail length), Wikipedia's "MurmurHash" examples (seed
 * 0x9747b28c) and Ian Boyd's vectors (Stack Overflow 14747343). Every expected value below was also cross-checked
 * by an independent implementation of the published algorithm in Python, written for this purpose and run with no
 * package installed; it agrees with all of them and with the verification value:
 * <pre>
 * def mm3(data: bytes, seed: int) -&gt; int:
 *     M = 0xFFFFFFFF
 *     rotl = lambda x, r: ((x &lt;&lt; r) | (x &gt;&gt; (32 - r))) &amp; M
 *     c1, c2 = 0xcc9e2d51, 0x1b873593
 *     h = seed &amp; M
 *     n = len(data) // 4
 *     for i in range(n):
 *         k = int.from_bytes(data[4*i:4*i+4], 'little')
 *         k = (k * c1) &amp; M; k = rotl(k, 15); k = (k * c2) &amp; M
 *         h ^= k; h = rotl(h, 13); h = (h * 5 + 0xe6546b64) &amp; M
 *     tail = data[4*n:]
 *     k = 0
 *     for j, b in enumerate(tail):
 *         k |= b &lt;&lt; (8 * j)
 *     if tail:
 *         k = (k * c1) &amp; M; k = rotl(k, 15); k = (k * c2) &amp; M; h ^= k
 *     h ^= len(data)
 *     h ^= h &gt;&gt; 16; h = (h * 0x85ebca6b) &amp; M
 *     h ^= h &gt;&gt; 13; h = (h * 0xc2b2ae35) &amp; M
 *     h ^= h &gt;&gt; 16
 *     return h
 * </pre>
 */
class Murmur3Tests {

	static Stream<Arguments> publishedTextVectors() {
		return Stream.of(
				// seed 0
				Arguments.of("", 0, 0x00000000),
				Arguments.of("a", 0, 0x3c2569b2),
				Arguments.of("abc", 0, 0xb3dd93fa),
				Arguments.of("test", 0, 0xba6bd213),
				Arguments.of("Hello, world!", 0, 0xc0363e43),
				Arguments.of("The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723),
				Arguments.of("k", 0, 0xcfbda5d1),
				Arguments.of("hell", 0, 0xa167dbf3),
				Arguments.of("hello", 0, 0x248bfa47),
				Arguments.of("http://www.google.com/", 0, 0x3d41b97c),
				// non-ASCII, hashed as UTF-8 (Guava): two-, three- and four-byte sequences
				Arguments.of("ABCDefGHI\u0799", 0, 0xb5a4be05),
				Arguments.of("毎月１日,毎週月曜日", 0, 0xfc5ba834),
				Arguments.of("surrogate pair: \uD83D\uDCB0", 0, 0x8a5c3699),
				// non-zero seeds, including ones whose sign bit is set
				Arguments.of("", 1, 0x514e28b7),
				Arguments.of("", 0xffffffff, 0x81f16f39),
				Arguments.of("a", 0x9747b28c, 0x7fa09ea6),
				Arguments.of("abc", 0x9747b28c, 0xc84a62dd),
				Arguments.of("aaaa", 0x9747b28c, 0x5a97808a),
				Arguments.of("test", 0x9747b28c, 0x704b81dc),
				Arguments.of("Hello, world!", 0x9747b28c, 0x24884cba),
				Arguments.of("The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd),
				Arguments.of("ππππππππ", 0x9747b28c, 0xd58063c1),
				Arguments.of("a".repeat(256), 0x9747b28c, 0x37405bdc));
	}

	@DisplayName("murmur3_32(text as UTF-8, seed) matches a published vector")
	@ParameterizedTest(name = "\"{0}\" seed {1}")
	@MethodSource("publishedTextVectors")
	void matchesPublishedTextVectors(String text, int seed, int expected) {
		assertThat(Murmur3.hash32(text, seed)).isEqualTo(expected);
		assertThat(Murmur3.hash32(text.getBytes(StandardCharsets.UTF_8), seed)).isEqualTo(expected);
	}

	static Stream<Arguments> bitcoinCoreVectors() {
		return Stream.of(
				Arguments.of("", 0xfba4c795, 0x6a396f08),
				Arguments.of("00", 0, 0x514e28b7),
				Arguments.of("00", 0xfba4c795, 0xea3f0b17),
				Arguments.of("ff", 0, 0xfd6cf10d),
				Arguments.of("0011", 0, 0x16c6b7ab),
				Arguments.of("001122", 0, 0x8eb51c3d),
				Arguments.of("00112233", 0, 0xb4471bf8),
				Arguments.of("0011223344", 0, 0xe2301fa8));
	}

	@DisplayName("murmur3_32(bytes, seed) matches Bitcoin Core's vectors for every tail length")
	@ParameterizedTest(name = "0x{0} seed {1}")
	@MethodSource("bitcoinCoreVectors")
	void matchesBitcoinCoreByteVectors(String hex, int seed, int expected) {
		assertThat(Murmur3.hash32(HexFormat.of().parseHex(hex), seed)).isEqualTo(expected);
	}

	@Test
	void matchesSmHashersVerificationValue() {
		// SMHasher's VerificationTest: hash the keys {}, {0}, {0, 1}, ..., {0..254} with seed 256 - length, write
		// the 256 hashes little-endian into 1024 bytes and hash those with seed 0. It exercises every input length
		// up to 255 and many seeds, so one number pins the whole function.
		byte[] key = new byte[256];
		byte[] hashes = new byte[4 * 256];
		for (int i = 0; i < 256; i++) {
			key[i] = (byte) i;
			int hash = Murmur3.hash32(Arrays.copyOf(key, i), 256 - i);
			for (int b = 0; b < 4; b++) {
				hashes[4 * i + b] = (byte) (hash >>> (8 * b));
			}
		}

		assertThat(Murmur3.hash32(hashes, 0)).isEqualTo(0xb0f57ee3);
	}

	@Test
	void hashesAStringAsItsUtf8Bytes() {
		for (String text : new String[] { "user-42", "ünïcödé", "日本語", "\uD83C\uDF35 cactus" }) {
			assertThat(Murmur3.hash32(text, 7)).isEqualTo(Murmur3.hash32(text.getBytes(StandardCharsets.UTF_8), 7));
		}
	}

}
