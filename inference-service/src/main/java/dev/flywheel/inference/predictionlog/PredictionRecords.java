package dev.flywheel.inference.predictionlog;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.inference.serving.Prediction;

/**
 * The body of one post to monitoring: {@code {"predictions": [record, ...]}}, one record per answered request with its
 * rows in columns (the row count is the length of {@code prediction_ids}):
 *
 * <pre>
 * {"model": "iris-species", "version": "2", "variant": "blue", "timestamp": "2026-11-27T04:00:00.123Z",
 *  "latency_ms": 1.93, "prediction_ids": ["...", "..."],
 *  "features": {"sepal_length": [5.1, 6.7], ..., "garden": ["kew", "wisley"]},
 *  "outputs": {"label": ["setosa", "virginica"], "probabilities": {"setosa": [0.97, 0.01], ...}}}
 * </pre>
 *
 * {@code variant} is left out when the request named none; a regression's outputs are {@code {"values": [...]}}.
 * Written straight to bytes with a streaming generator: a 256-row request costs no map and no boxed number, and the
 * feature names and class names are written once per request rather than once per row.
 */
final class PredictionRecords {

	/** Shortest round-trip text for floats and doubles (Schubfach), much cheaper than the JDK 17 conversion. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
		.build();

	private PredictionRecords() {
	}

	/** A prediction as buffered for the log: what was answered, for which variant, how fast, and when. */
	record Logged(Prediction prediction, String variant, long latencyNanos, Instant timestamp) {

		int rows() {
			return prediction.count();
		}

	}

	static byte[] body(List<Logged> batch) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
		try (JsonGenerator json = JSON.createGenerator(bytes)) {
			json.writeStartObject();
			json.writeName("predictions");
			json.writeStartArray();
			for (Logged logged : batch) {
				write(json, logged);
			}
			json.writeEndArray();
			json.writeEndObject();
		}
		return bytes.toByteArray();
	}

	private static void write(JsonGenerator json, Logged logged) {
		Prediction prediction = logged.prediction();
		json.writeStartObject();
		json.writeStringProperty("model", prediction.model());
		json.writeStringProperty("version", prediction.version());
		if (logged.variant() != null) {
			json.writeStringProperty("variant", logged.variant());
		}
		json.writeStringProperty("timestamp", logged.timestamp().toString());
		json.writeNumberProperty("latency_ms", logged.latencyNanos() / 1e6);
		json.writeName("prediction_ids");
		json.writeStartArray();
		for (String id : prediction.predictionIds()) {
			json.writeString(id);
		}
		json.writeEndArray();
		writeFeatures(json, prediction);
		writeOutputs(json, prediction);
		json.writeEndObject();
	}

	private static void writeFeatures(JsonGenerator json, Prediction prediction) {
		List<String> names = prediction.rows().schema().featureNames();
		Object[][] raw = prediction.rows().raw();
		json.writeName("features");
		json.writeStartObject();
		for (int feature = 0; feature < names.size(); feature++) {
			json.writeName(names.get(feature));
			json.writeStartArray();
			for (int row = 0; row < prediction.count(); row++) {
				Object value = raw[row][feature];
				if (value instanceof String category) {
					json.writeString(category);
				}
				else {
					json.writeNumber(((Number) value).doubleValue());
				}
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	private static void writeOutputs(JsonGenerator json, Prediction prediction) {
		json.writeName("outputs");
		json.writeStartObject();
		if (prediction.isClassification()) {
			json.writeName("label");
			json.writeStartArray();
			for (int row = 0; row < prediction.count(); row++) {
				json.writeString(prediction.label(row));
			}
			json.writeEndArray();
			json.writeName("probabilities");
			json.writeStartObject();
			for (int column = 0; column < prediction.width(); column++) {
				json.writeName(prediction.classes().get(column));
				writeColumn(json, prediction, column);
			}
			json.writeEndObject();
		}
		else {
			json.writeName("values");
			writeColumn(json, prediction, 0);
		}
		json.writeEndObject();
	}

	private static void writeColumn(JsonGenerator json, Prediction prediction, int column) {
		json.writeStartArray();
		for (int row = 0; row < prediction.count(); row++) {
			json.writeNumber(prediction.output(row, column));
		}
		json.writeEndArray();
	}

}
