package dev.flywheel.router.assignment;

import java.util.Objects;

/**
 * The key a request is assigned by: the same key always gets the same variant of an A/B test.
 *
 * @param value the key, not blank, at most {@value UnitKeys#MAX_LENGTH} characters (Unicode code points)
 * @param generated whether the router made the key up because the request named none: such a unit is random per
 * request, not sticky
 */
public record UnitKey(String value, boolean generated) {

	public UnitKey {
		Objects.requireNonNull(value, "value");
		if (value.isBlank()) {
			throw new IllegalArgumentException("A unit key must not be blank");
		}
		int length = value.codePointCount(0, value.length());
		if (length > UnitKeys.MAX_LENGTH) {
			throw new IllegalArgumentException("A unit key (the " + UnitKeys.HEADER + " header or the OIP parameter "
					+ UnitKeys.PARAMETER + ") may have at most " + UnitKeys.MAX_LENGTH + " characters: got "
					+ length);
		}
	}

}
