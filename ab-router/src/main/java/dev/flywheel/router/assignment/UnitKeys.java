package dev.flywheel.router.assignment;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a request's unit key comes from: the {@value #HEADER} header, else the Open Inference Protocol request's
 * {@code parameters.}{@value #PARAMETER}, else a random key made up for this request alone.
 * <p>
 * A given key is used with surrounding whitespace stripped (HTTP strips it from header values anyway, so the header
 * and the parameter agree); a blank one counts as absent. The header wins when both are given: it is the one a
 * gateway sets for the caller. A key longer than {@value #MAX_LENGTH} characters is refused with an
 * {@link IllegalArgumentException} that names the limit, which the web layer answers with 400: it bounds the work
 * of hashing it and the size of anything that records it.
 */
public final class UnitKeys {

	/** The HTTP header that names the unit. */
	public static final String HEADER = "X-Flywheel-Unit";

	/** The Open Inference Protocol request parameter that names the unit. */
	public static final String PARAMETER = "unit";

	/** The longest unit key accepted, in characters (Unicode code points). */
	public static final int MAX_LENGTH = 256;

	private UnitKeys() {
	}

	/**
	 * A random key in the form of a version 4 UUID, from {@link ThreadLocalRandom}: unique enough to spread
	 * unkeyed requests evenly over the variants without contention between threads (they need no secrecy, so no
	 * {@code SecureRandom}).
	 */
	public static String random() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long mostSignificant = (random.nextLong() & ~0xf000L) | 0x4000L;
		long leastSignificant = (random.nextLong() & ~(0xc000L << 48)) | (0x8000L << 48);
		return new UUID(mostSignificant, leastSignificant).toString();
	}

	/**
	 * The given key, or a random one when it is absent or blank.
	 *
	 * @throws IllegalArgumentException for a key over {@value #MAX_LENGTH} characters
	 */
	public static UnitKey givenOrRandom(String given) {
		if (given == null || given.isBlank()) {
			return new UnitKey(random(), true);
		}
		return new UnitKey(given.strip(), false);
	}

	/**
	 * The key of a request: its {@value #HEADER} header, else its OIP {@code parameters.}{@value #PARAMETER}, else a
	 * random key.
	 *
	 * @param header the header's value, or {@code null}
	 * @param parameter the parameter's value, or {@code null}
	 * @throws IllegalArgumentException when the key used is over {@value #MAX_LENGTH} characters
	 */
	public static UnitKey givenOrRandom(String header, String parameter) {
		return givenOrRandom(header == null || header.isBlank() ? parameter : header);
	}

}
