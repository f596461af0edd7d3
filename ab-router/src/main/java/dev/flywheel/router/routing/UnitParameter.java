package dev.flywheel.router.routing;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Finds an Open Inference Protocol request's {@code parameters.unit} by streaming over the body's top level, without
 * building the (possibly large) input tensors.
 */
final class UnitParameter {

	private UnitParameter() {
	}

	private static final byte[] UNIT = "unit".getBytes(StandardCharsets.US_ASCII);

	/** The unit given, as text; null when there is none or the body is not a JSON object (the service says why). */
	static String of(byte[] body) {
		if (!mayNameAUnit(body)) {
			return null;
		}
		try (JsonParser parser = ServedPredictions.JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("parameters".equals(field) && value == JsonToken.START_OBJECT) {
					return unit(parser);
				}
				parser.skipChildren();
			}
			return null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Whether the body can hold a {@code unit} field: it spells {@code unit}, or it has an escape (a field name may
	 * be written with them). Most requests have neither, and this scan costs a fraction of parsing them.
	 */
	private static boolean mayNameAUnit(byte[] body) {
		outer: for (int at = 0; at < body.length; at++) {
			if (body[at] == '\\') {
				return true;
			}
			if (at + UNIT.length <= body.length) {
				for (int i = 0; i < UNIT.length; i++) {
					if (body[at + i] != UNIT[i]) {
						continue outer;
					}
				}
				return true;
			}
		}
		return false;
	}

	private static String unit(JsonParser parser) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("unit".equals(field) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
				return parser.getString();
			}
			parser.skipChildren();
		}
		return null;
	}

}
