package dev.flywheel.monitoring.ingest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How the ingestion readers read a posted body's fields, each fault noted with its place. */
public final class JsonFields {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonFields() {
	}

	/** The body as JSON, null when it is empty; malformed JSON is refused at once. */
	public static JsonNode parse(byte[] body) {
		try {
			return body.length == 0 ? null : JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw InvalidBodyException.of("$", "malformed JSON: " + ex.getOriginalMessage());
		}
	}

	/** A text (an integer is taken as its decimal text) of 1 to {@code maxLength} characters, or null. */
	public static String text(JsonNode object, String field, String place, int maxLength, boolean required,
			List<FieldError> errors) {
		JsonNode node = object.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				errors.add(new FieldError(place + "." + field, "missing"));
			}
			return null;
		}
		if (!(node.isString() || node.isIntegralNumber()) || node.asString().isBlank()
				|| node.asString().length() > maxLength) {
			errors.add(new FieldError(place + "." + field, "a text (or an integer) of 1 to " + maxLength
					+ " characters"));
			return null;
		}
		return node.asString();
	}

	/** An ISO-8601 instant as epoch milliseconds, or null (a fault) when missing or malformed. */
	public static Long instant(JsonNode object, String field, String place, List<FieldError> errors) {
		JsonNode node = object.get(field);
		if (node == null || !node.isString()) {
			errors.add(new FieldError(place + "." + field, "an ISO-8601 instant such as 2026-11-27T04:00:00.123Z"));
			return null;
		}
		try {
			return Instant.parse(node.asString()).toEpochMilli();
		}
		catch (DateTimeParseException ex) {
			errors.add(new FieldError(place + "." + field,
					"'" + node.asString() + "' is not an ISO-8601 instant such as 2026-11-27T04:00:00.123Z"));
			return null;
		}
	}

}
