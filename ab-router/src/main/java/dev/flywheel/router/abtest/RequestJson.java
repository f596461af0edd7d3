package dev.flywheel.router.abtest;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses request bodies. Bare {@code NaN} and {@code Infinity} are read as numbers, so that they can be refused by name. */
final class RequestJson {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.build();

	private RequestJson() {
	}

	static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			throw new InvalidAbTestException("$", "the request body is empty; send a JSON object");
		}
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidAbTestException("$", "malformed JSON: " + ex.getOriginalMessage());
		}
	}

}
