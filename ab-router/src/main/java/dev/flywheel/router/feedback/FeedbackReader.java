package dev.flywheel.router.feedback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.router.abtest.FieldError;

/**
 * Reads a feedback request: one {@code {"prediction_id": ..., "label": ... | "reward": ...}} or an array of them.
 * A label is a string or an integer (a class named by number, taken as its decimal text); a reward is a finite
 * number. Every fault is collected with its place ({@code [3].label}) and reported at once; the same prediction id
 * twice in one request must say the same thing (and counts once).
 */
final class FeedbackReader {

	/** The most events one request may carry. */
	static final int MAX_EVENTS = 10_000;

	private static final int MAX_ID_LENGTH = 64;

	private static final int MAX_LABEL_LENGTH = 256;

	private static final Set<String> FIELDS = Set.of("prediction_id", "label", "reward");

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

	private FeedbackReader() {
	}

	static List<Feedback> read(String body) {
		JsonNode json;
		try {
			json = body == null || body.isBlank() ? null : JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw invalid("$", "malformed JSON: " + ex.getOriginalMessage());
		}
		if (json == null || !(json.isObject() || json.isArray())) {
			throw invalid("$", "send a feedback object {\"prediction_id\": ..., \"label\" or \"reward\": ...} or an "
					+ "array of them");
		}
		boolean batch = json.isArray();
		if (batch && json.isEmpty()) {
			throw invalid("$", "the array holds no feedback");
		}
		if (json.size() > MAX_EVENTS && batch) {
			throw invalid("$", "at most " + MAX_EVENTS + " feedback events per request, got " + json.size());
		}
		List<FieldError> errors = new ArrayList<>();
		Map<String, Feedback> byId = new LinkedHashMap<>();
		List<JsonNode> events = new ArrayList<>();
		json.forEach(events::add);
		if (!batch) {
			events = List.of(json);
		}
		for (int i = 0; i < events.size(); i++) {
			String path = batch ? "[" + i + "]" : "";
			Feedback feedback = event(events.get(i), path, errors);
			if (feedback == null) {
				continue;
			}
			Feedback earlier = byId.putIfAbsent(feedback.predictionId(), feedback);
			if (earlier != null && !earlier.sameAs(feedback.label(), feedback.reward())) {
				errors.add(new FieldError(path + (path.isEmpty() ? "" : ".") + "prediction_id", "prediction "
						+ feedback.predictionId() + " appears twice in this request with different feedback"));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidFeedbackException(errors);
		}
		return List.copyOf(byId.values());
	}

	private static Feedback event(JsonNode event, String path, List<FieldError> errors) {
		String prefix = path.isEmpty() ? "" : path + ".";
		if (!event.isObject()) {
			errors.add(new FieldError(path.isEmpty() ? "$" : path, "must be an object, not " + event.getNodeType()));
			return null;
		}
		int before = errors.size();
		for (String field : event.propertyNames()) {
			if (!FIELDS.contains(field)) {
				errors.add(new FieldError(prefix + field, "unknown field; feedback has prediction_id and label or reward"));
			}
		}
		JsonNode id = event.get("prediction_id");
		if (id == null || !id.isString() || id.asString().isBlank()) {
			errors.add(new FieldError(prefix + "prediction_id", "is required: the prediction_id the prediction's answer "
					+ "carried, as a string"));
		}
		else if (id.asString().length() > MAX_ID_LENGTH) {
			errors.add(new FieldError(prefix + "prediction_id", "is longer than " + MAX_ID_LENGTH + " characters"));
		}
		JsonNode label = event.get("label");
		JsonNode reward = event.get("reward");
		boolean hasLabel = label != null && !label.isNull();
		boolean hasReward = reward != null && !reward.isNull();
		if (hasLabel == hasReward) {
			errors.add(new FieldError(prefix + (hasLabel ? "reward" : "label"), hasLabel
					? "give a label or a reward, not both" : "give the true label or a numeric reward"));
		}
		String labelText = null;
		if (hasLabel) {
			if (label.isString() && !label.asString().isEmpty() && label.asString().length() <= MAX_LABEL_LENGTH) {
				labelText = label.asString();
			}
			else if (label.isIntegralNumber()) {
				labelText = label.bigIntegerValue().toString();
			}
			else {
				errors.add(new FieldError(prefix + "label", "must be the class label as a string (or an integer), not "
						+ describe(label)));
			}
		}
		Double rewardValue = null;
		if (hasReward) {
			if (reward.isNumber() && Double.isFinite(reward.asDouble())) {
				rewardValue = reward.asDouble();
			}
			else {
				errors.add(new FieldError(prefix + "reward", "must be a finite number, not " + describe(reward)));
			}
		}
		if (errors.size() > before) {
			return null;
		}
		return new Feedback(id.asString(), labelText, rewardValue);
	}

	private static String describe(JsonNode node) {
		String text = node.toString();
		return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
				+ (text.length() > 40 ? text.substring(0, 40) + "..." : text);
	}

	private static InvalidFeedbackException invalid(String field, String message) {
		return new InvalidFeedbackException(List.of(new FieldError(field, message)));
	}

}
