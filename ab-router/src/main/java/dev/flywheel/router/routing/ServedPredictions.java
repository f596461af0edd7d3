package dev.flywheel.router.routing;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an inference service's successful answer says: the model version that answered, each row's prediction id and,
 * for a classifier, its label; and the answer itself, to be returned with the A/B test and variant added.
 *
 * @param modelVersion the version that answered, or null when the answer does not say
 * @param predictionIds each row's prediction id (empty when the answer holds none, e.g. an OIP request that asked
 * for other outputs only)
 * @param labels each row's predicted label, in the order of the ids; null for a regression model
 * @param answer the parsed answer
 */
record ServedPredictions(String modelVersion, List<String> predictionIds, List<String> labels, ObjectNode answer) {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** Reads an answer of {@code protocol}; null when it is not a JSON object (it is then returned as it came). */
	static ServedPredictions read(Protocol protocol, byte[] body) {
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (!(json instanceof ObjectNode answer)) {
			return null;
		}
		String version = text(answer.get("model_version"));
		return switch (protocol) {
			case OIP -> oip(answer, version);
			case PLAIN -> new ServedPredictions(version, texts(answer.get("prediction_ids")),
					plainLabels(answer.get("predictions")), answer);
			case SCORING -> new ServedPredictions(version, texts(answer.get("prediction_ids")),
					answer.has("classes") ? texts(answer.get("predictions")) : null, answer);
		};
	}

	private static ServedPredictions oip(ObjectNode answer, String version) {
		List<String> ids = List.of();
		List<String> labels = null;
		JsonNode outputs = answer.get("outputs");
		if (outputs != null && outputs.isArray()) {
			for (JsonNode output : outputs) {
				String name = text(output.get("name"));
				if ("prediction_id".equals(name)) {
					ids = texts(output.get("data"));
				}
				else if ("label".equals(name)) {
					labels = texts(output.get("data"));
				}
			}
		}
		JsonNode parameters = answer.get("parameters");
		if (ids.isEmpty() && parameters != null && parameters.hasNonNull("prediction_id")) {
			ids = List.of(parameters.get("prediction_id").asString());
		}
		if (labels != null && labels.size() != ids.size()) {
			labels = null;
		}
		return new ServedPredictions(version, ids, labels, answer);
	}

	private static List<String> plainLabels(JsonNode predictions) {
		if (predictions == null || !predictions.isArray()) {
			return null;
		}
		List<String> labels = new ArrayList<>(predictions.size());
		for (JsonNode prediction : predictions) {
			if (!prediction.hasNonNull("label")) {
				return null;
			}
			labels.add(prediction.get("label").asString());
		}
		return labels;
	}

	private static List<String> texts(JsonNode array) {
		if (array == null || !array.isArray()) {
			return List.of();
		}
		List<String> texts = new ArrayList<>(array.size());
		for (JsonNode element : array) {
			texts.add(element.isString() ? element.asString() : element.toString());
		}
		return texts;
	}

	private static String text(JsonNode node) {
		return node == null || node.isNull() ? null : node.asString();
	}

	/**
	 * The answer with the A/B test and variant added where the protocol carries them: OIP's response
	 * {@code parameters}, top-level fields in the others.
	 */
	byte[] withTest(Protocol protocol, String testId, String variant) {
		ObjectNode target = answer;
		if (protocol == Protocol.OIP) {
			JsonNode parameters = answer.get("parameters");
			target = parameters instanceof ObjectNode object ? object : answer.putObject("parameters");
		}
		target.put("ab_test_id", testId);
		target.put("variant", variant);
		return JSON.writeValueAsBytes(answer);
	}

	int rows() {
		return predictionIds.size();
	}

}
