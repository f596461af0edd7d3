package dev.flywheel.monitoring.feedback;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.monitoring.ingest.FieldError;
import dev.flywheel.monitoring.ingest.InvalidBodyException;

/**
 * Reads the router's feedback post: {@code {"feedback": [{"prediction_id", "model", "model_version", "ab_test_id",
 * "variant", "predicted", "label", "reward", "predicted_at", "received_at"}, ...]}}, times as ISO-8601 instants, a
 * label as a text or an integer, a reward as a finite number, and at least one of the two. Every fault is collected
 * with its place and reported at once; a post with any is refused whole.
 */
final class FeedbackReader {

	static final int MAX_EVENTS = 10_000;

	private static final Set<String> FIELDS = Set.of("prediction_id", "model", "model_version", "ab_test_id",
			"variant", "predicted", "label", "reward", "predicted_at", "received_at");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FeedbackReader() {
	}

	static List<FeedbackEvent> read(byte[] body) {
		JsonNode json;
		try {
			json = body.length == 0 ? null : JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw InvalidBodyException.of("$", "malformed JSON: " + ex.getOriginalMessage());
		}
		if (json == null || !json.isObject() || !json.path("feedback").isArray() || json.get("feedback").isEmpty()) {
			throw InvalidBodyException.of("feedback", "send {\"feedback\": [event, ...]} with one or more events, "
					+ "as the router forwards them");
		}
		if (json.get("feedback").size() > MAX_EVENTS) {
			throw InvalidBodyException.of("feedback", "at most " + MAX_EVENTS + " events per post, got "
					+ json.get("feedback").size());
		}
		List<FieldError> errors = new ArrayList<>();
		List<FeedbackEvent> events = new ArrayList<>();
		int index = 0;
		for (JsonNode event : json.get("feedback")) {
			FeedbackEvent read = read(event, "feedback[" + index++ + "]", errors);
			if (read != null) {
				events.add(read);
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidBodyException(errors);
		}
		return events;
	}

	private static FeedbackEvent read(JsonNode event, String place, List<FieldError> errors) {
		if (!event.isObject()) {
			errors.add(new FieldError(place, "an event is an object"));
			return null;
		}
		int before = errors.size();
		for (String field : event.propertyNames()) {
			if (!FIELDS.contains(field)) {
				errors.add(new FieldError(place + "." + field, "unknown field"));
			}
		}
		String id = text(event, "prediction_id", place, 64, true, errors);
		String model = text(event, "model", place, 256, true, errors);
		String version = text(event, "model_version", place, 32, false, errors);
		String test = text(event, "ab_test_id", place, 36, false, errors);
		String variant = text(event, "variant", place, 128, false, errors);
		String predicted = text(event, "predicted", place, 256, false, errors);
		String label = text(event, "label", place, 256, false, errors);
		Double reward = null;
		JsonNode rewardNode = event.get("reward");
		if (rewardNode != null && !rewardNode.isNull()) {
			if (!rewardNode.isNumber() || !Double.isFinite(rewardNode.asDouble())) {
				errors.add(new FieldError(place + ".reward", "a finite number"));
			}
			else {
				reward = rewardNode.asDouble();
			}
		}
		if (label == null && reward == null && errors.size() == before) {
			errors.add(new FieldError(place, "a label or a reward"));
		}
		Long predictedAt = instant(event, "predicted_at", place, errors);
		Long receivedAt = instant(event, "received_at", place, errors);
		if (errors.size() > before) {
			return null;
		}
		return new FeedbackEvent(id, model, version, test, variant, predicted, label, reward, predictedAt,
				receivedAt);
	}

	private static String text(JsonNode event, String field, String place, int maxLength, boolean required,
			List<FieldError> errors) {
		JsonNode node = event.get(field);
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

	private static Long instant(JsonNode event, String field, String place, List<FieldError> errors) {
		JsonNode node = event.get(field);
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
