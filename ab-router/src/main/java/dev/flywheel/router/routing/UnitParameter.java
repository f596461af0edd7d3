package dev.flywheel.router.routing;

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

	/** The unit given, as text; null when there is none or the body is not a JSON object (the service says why). */
	static String of(byte[] body) {
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
