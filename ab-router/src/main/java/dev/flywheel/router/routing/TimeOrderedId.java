package dev.flywheel.router.routing;

/**
 * A prediction id that is a version 7 UUID (RFC 9562) in its canonical lower-case text, as the inference service
 * makes them: the first 48 bits are the Unix time in milliseconds. Only ids whose 16 bytes give back exactly the text
 * they were read from are taken, so that an id stored as bytes is found again by the very string a client sends;
 * anything else (another server's ids, a client's, upper case) is not one.
 *
 * @param high the first 64 bits (time, version, random)
 * @param low the last 64 bits (variant, random)
 */
public record TimeOrderedId(long high, long low) {

	private static final int LENGTH = 36;

	/** The id {@code text} is, or null when it is not a canonical lower-case version 7 UUID. */
	public static TimeOrderedId parse(String text) {
		if (text == null || text.length() != LENGTH || text.charAt(8) != '-' || text.charAt(13) != '-'
				|| text.charAt(18) != '-' || text.charAt(23) != '-') {
			return null;
		}
		long high = 0;
		long low = 0;
		int digits = 0;
		for (int at = 0; at < LENGTH; at++) {
			if (at == 8 || at == 13 || at == 18 || at == 23) {
				continue;
			}
			int digit = hexDigit(text.charAt(at));
			if (digit < 0) {
				return null;
			}
			if (digits++ < 16) {
				high = (high << 4) | digit;
			}
			else {
				low = (low << 4) | digit;
			}
		}
		boolean version7 = ((high >>> 12) & 0xF) == 7;
		boolean rfcVariant = (low >>> 62) == 0b10;
		return version7 && rfcVariant ? new TimeOrderedId(high, low) : null;
	}

	private static int hexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return -1;
	}

	/** The Unix time in milliseconds the id was made at (its first 48 bits). */
	public long millis() {
		return high >>> 16;
	}

	/** The canonical text, the same as {@link java.util.UUID#toString()}. */
	@Override
	public String toString() {
		return new java.util.UUID(high, low).toString();
	}

}
