package dev.flywheel.monitoring.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.flywheel.monitoring.ingest.FieldError;
import dev.flywheel.monitoring.ingest.InvalidBodyException;
import dev.flywheel.monitoring.ingest.JsonFields;

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

	private FeedbackReader() {
	}

	static List<FeedbackEvent> read(byte[] body) {
		JsonNode json = JsonFields.parse(body);
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
		String id = JsonFields.text(event, "prediction_id", place, 64, true, errors);
		String model = JsonFields.text(event, "model", place, 256, true, errors);
		String version = JsonFields.text(event, "model_version", place, 32, false, errors);
		String test = JsonFields.text(event, "ab_test_id", place, 36, false, errors);
		String variant = JsonFields.text(event, "variant", place, 128, false, errors);
		String predicted = JsonFields.text(event, "predicted", place, 256, false, errors);
		String label = JsonFields.text(event, "label", place, 256, false, errors);
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
		Long predictedAt = JsonFields.instant(event, "predicted_at", place, errors);
		Long receivedAt = JsonFields.instant(event, "received_at", place, errors);
		if (errors.size() > before) {
			return null;
		}
		return new FeedbackEvent(id, model, version, test, variant, predicted, label, reward, predictedAt,
				receivedAt);
	}



}
