package dev.flywheel.router.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an inference service's successful answer says: the model version that answered, each row's prediction id and,
 * for a classifier, its label. The answer is read in one streaming pass, without building a tree, and given back
 * with the A/B test and variant spliced into its bytes: on the router's hot path this costs a fraction of parsing
 * the answer into a tree and writing it out again.
 *
 * @param modelVersion the version that answered, or null when the answer does not say
 * @param predictionIds each row's prediction id (empty when the answer holds none, e.g. an OIP request that asked
 * for other outputs only)
 * @param labels each row's predicted label, in the order of the ids; null for a regression model
 */
record ServedPredictions(String modelVersion, List<String> predictionIds, List<String> labels, byte[] answer,
		Splice splice) {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Where the test's fields go: just after byte {@code offset} (the {@code {} of OIP's {@code parameters}, or of the
	 * answer itself), followed by a comma when that object has fields already ({@code nonEmpty}); or, when an OIP
	 * answer has no {@code parameters}, a whole new {@code parameters} before the answer's closing brace at
	 * {@code offset}.
	 */
	record Splice(int offset, boolean nonEmpty, boolean newParameters) {
	}

	/** Reads an answer of {@code protocol}; null when it is not a JSON object (it is then returned as it came). */
	static ServedPredictions read(Protocol protocol, byte[] body) {
		try (JsonParser parser = JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Reading reading = new Reading(protocol, (int) parser.currentTokenLocation().getByteOffset());
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				reading.topLevelField = true;
				String field = parser.currentName();
				parser.nextToken();
				reading.field(field, parser);
			}
			int end = (int) parser.currentTokenLocation().getByteOffset();
			if (parser.nextToken() != null) {
				return null;
			}
			return reading.result(body, end);
		}
		catch (JacksonException | IllegalStateException ex) {
			return null;
		}
	}

	/** The parts of the answer gathered in one pass. */
	private static final class Reading {

		private final Protocol protocol;

		private final int start;

		private boolean topLevelField;

		private String version;

		private List<String> ids = List.of();

		private List<String> labels;

		private boolean classes;

		private int parametersOffset = -1;

		private boolean parametersNonEmpty;

		private String parameterId;

		Reading(Protocol protocol, int start) {
			this.protocol = protocol;
			this.start = start;
		}

		void field(String field, JsonParser parser) {
			switch (field) {
				case "model_version" -> version = parser.currentToken().isScalarValue()
						&& parser.currentToken() != JsonToken.VALUE_NULL ? parser.getString() : null;
				case "prediction_ids" -> ids = strings(parser);
				case "classes" -> {
					classes = true;
					parser.skipChildren();
				}
				case "parameters" -> parameters(parser);
				case "outputs" -> outputs(parser);
				case "predictions" -> predictions(parser);
				default -> parser.skipChildren();
			}
		}

		private void parameters(JsonParser parser) {
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				parser.skipChildren();
				return;
			}
			parametersOffset = (int) parser.currentTokenLocation().getByteOffset();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				parametersNonEmpty = true;
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("prediction_id".equals(name) && value == JsonToken.VALUE_STRING) {
					parameterId = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			}
		}

		/** OIP outputs: the {@code label} and {@code prediction_id} tensors' data. */
		private void outputs(JsonParser parser) {
			if (protocol != Protocol.OIP || parser.currentToken() != JsonToken.START_ARRAY) {
				parser.skipChildren();
				return;
			}
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String name = null;
				List<String> data = null;
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					parser.nextToken();
					if ("name".equals(field) && parser.currentToken() == JsonToken.VALUE_STRING) {
						name = parser.getString();
					}
					else if ("data".equals(field) && (name == null || name.equals("label") || name.equals("prediction_id"))) {
						data = strings(parser);
					}
					else {
						parser.skipChildren();
					}
				}
				if ("label".equals(name) && data != null) {
					labels = data;
				}
				else if ("prediction_id".equals(name) && data != null) {
					ids = data;
				}
			}
		}

		/** Plain rows' {@code label}s, or scoring's predictions (labels when the answer names its classes). */
		private void predictions(JsonParser parser) {
			if (parser.currentToken() != JsonToken.START_ARRAY) {
				parser.skipChildren();
				return;
			}
			if (protocol == Protocol.SCORING) {
				labels = strings(parser);
				return;
			}
			List<String> rowLabels = new ArrayList<>();
			boolean allLabelled = true;
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String label = null;
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken value = parser.nextToken();
					if ("label".equals(field) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
						label = parser.getString();
					}
					else {
						parser.skipChildren();
					}
				}
				allLabelled &= label != null;
				rowLabels.add(label);
			}
			labels = allLabelled && protocol == Protocol.PLAIN ? rowLabels : null;
		}

		/** An array's scalar elements as text; an empty list for anything else (which is skipped). */
		private static List<String> strings(JsonParser parser) {
			if (parser.currentToken() != JsonToken.START_ARRAY) {
				parser.skipChildren();
				return List.of();
			}
			List<String> texts = new ArrayList<>();
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
				if (token.isScalarValue()) {
					texts.add(parser.getString());
				}
				else {
					parser.skipChildren();
					texts.add(null);
				}
			}
			return texts;
		}

		ServedPredictions result(byte[] body, int end) {
			List<String> predictionIds = ids;
			if (predictionIds.isEmpty() && parameterId != null) {
				predictionIds = List.of(parameterId);
			}
			List<String> predicted = protocol == Protocol.SCORING && !classes ? null : labels;
			if (predicted != null && predicted.size() != predictionIds.size()) {
				predicted = null;
			}
			Splice splice = protocol != Protocol.OIP ? new Splice(start, topLevelField, false)
					: parametersOffset >= 0 ? new Splice(parametersOffset, parametersNonEmpty, false)
							: new Splice(end, topLevelField, true);
			return new ServedPredictions(version, predictionIds, predicted, body, splice);
		}

	}

	/**
	 * The answer with the A/B test and variant added where the protocol carries them: OIP's response
	 * {@code parameters}, top-level fields in the others.
	 */
	byte[] withTest(Protocol protocol, String testId, String variant) {
		String fields = "\"ab_test_id\":" + quoted(testId) + ",\"variant\":" + quoted(variant);
		String insert = splice.newParameters() ? (splice.nonEmpty() ? "," : "") + "\"parameters\":{" + fields + "}"
				: fields + (splice.nonEmpty() ? "," : "");
		byte[] inserted = insert.getBytes(StandardCharsets.UTF_8);
		int at = splice.newParameters() ? splice.offset() : splice.offset() + 1;
		ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length + inserted.length);
		out.write(answer, 0, at);
		out.write(inserted, 0, inserted.length);
		out.write(answer, at, answer.length - at);
		return out.toByteArray();
	}

	private static String quoted(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	int rows() {
		return predictionIds.size();
	}

}
