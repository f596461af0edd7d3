package dev.flywheel.monitoring.predictions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.flywheel.monitoring.ingest.FieldError;
import dev.flywheel.monitoring.ingest.InvalidBodyException;
import dev.flywheel.monitoring.ingest.JsonFields;

/**
 * Reads the inference service's prediction log post: {@code {"predictions": [record, ...]}}, one record per answered
 * request with its rows in columns:
 *
 * <pre>
 * {"model": "iris-species", "version": "2", "variant": "v2", "timestamp": "2026-11-27T04:00:00.123Z",
 *  "latency_ms": 1.93, "prediction_ids": ["...", "..."],
 *  "features": {"sepal_length": [5.1, 6.7], ..., "garden": ["kew", null]},
 *  "outputs": {"label": ["setosa", "virginica"], "probabilities": {"setosa": [0.97, 0.01], ...}}}
 * </pre>
 *
 * A regressor's outputs are {@code {"values": [...]}}. Every column must have one value per prediction id. All faults
 * are collected with their place and reported at once; a post with any is refused whole.
 */
final class PredictionLogReader {

	static final int MAX_ID_LENGTH = 64;

	private PredictionLogReader() {
	}

	static List<LoggedPrediction> read(byte[] body) {
		JsonNode json = JsonFields.parse(body);
		if (json == null || !json.isObject() || !json.path("predictions").isArray()) {
			throw InvalidBodyException.of("predictions", "send {\"predictions\": [record, ...]}, the inference "
					+ "service's prediction log");
		}
		List<FieldError> errors = new ArrayList<>();
		List<LoggedPrediction> rows = new ArrayList<>();
		int index = 0;
		for (JsonNode record : json.get("predictions")) {
			read(record, "predictions[" + index++ + "]", rows, errors);
		}
		if (!errors.isEmpty()) {
			throw new InvalidBodyException(errors);
		}
		return rows;
	}

	private static void read(JsonNode record, String place, List<LoggedPrediction> rows, List<FieldError> errors) {
		if (!record.isObject()) {
			errors.add(new FieldError(place, "a record is an object"));
			return;
		}
		int before = errors.size();
		String model = JsonFields.text(record, "model", place, 256, true, errors);
		String version = JsonFields.text(record, "version", place, 32, true, errors);
		String variant = JsonFields.text(record, "variant", place, 128, false, errors);
		Long at = JsonFields.instant(record, "timestamp", place, errors);
		Double latency = null;
		JsonNode latencyNode = record.get("latency_ms");
		if (latencyNode != null && !latencyNode.isNull()) {
			if (!latencyNode.isNumber() || !Double.isFinite(latencyNode.asDouble()) || latencyNode.asDouble() < 0) {
				errors.add(new FieldError(place + ".latency_ms", "a number of milliseconds, 0 or more"));
			}
			else {
				latency = latencyNode.asDouble();
			}
		}
		List<String> ids = ids(record.get("prediction_ids"), place + ".prediction_ids", errors);
		if (ids == null) {
			return;
		}
		int n = ids.size();
		Map<String, List<Object>> features = features(record.get("features"), place + ".features", n, errors);
		Outputs outputs = outputs(record.get("outputs"), place + ".outputs", n, errors);
		if (errors.size() > before || features == null || outputs == null) {
			return;
		}
		for (int row = 0; row < n; row++) {
			Map<String, Object> values = new LinkedHashMap<>();
			for (Map.Entry<String, List<Object>> feature : features.entrySet()) {
				values.put(feature.getKey(), feature.getValue().get(row));
			}
			Map<String, Double> probabilities = null;
			if (outputs.probabilities() != null) {
				probabilities = new LinkedHashMap<>();
				for (Map.Entry<String, List<Double>> column : outputs.probabilities().entrySet()) {
					probabilities.put(column.getKey(), column.getValue().get(row));
				}
			}
			rows.add(new LoggedPrediction(ids.get(row), model, version, variant, at, latency, values,
					outputs.labels() == null ? null : outputs.labels().get(row), probabilities,
					outputs.values() == null ? null : outputs.values().get(row)));
		}
	}

	private record Outputs(List<String> labels, Map<String, List<Double>> probabilities, List<Double> values) {
	}



	private static List<String> ids(JsonNode node, String place, List<FieldError> errors) {
		if (node == null || !node.isArray() || node.isEmpty()) {
			errors.add(new FieldError(place, "an array of one or more prediction ids"));
			return null;
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < node.size(); i++) {
			JsonNode id = node.get(i);
			if (!id.isString() || id.asString().isBlank() || id.asString().length() > MAX_ID_LENGTH) {
				errors.add(new FieldError(place + "[" + i + "]", "a prediction id of 1 to " + MAX_ID_LENGTH
						+ " characters"));
				return null;
			}
			ids.add(id.asString());
		}
		return ids;
	}

	private static Map<String, List<Object>> features(JsonNode node, String place, int n, List<FieldError> errors) {
		if (node == null || !node.isObject()) {
			errors.add(new FieldError(place, "an object of feature columns, {\"feature\": [value, ...]}"));
			return null;
		}
		Map<String, List<Object>> features = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> column : node.properties()) {
			String at = place + "." + column.getKey();
			if (!sized(column.getValue(), at, n, errors)) {
				continue;
			}
			List<Object> values = new ArrayList<>(n);
			for (int row = 0; row < n; row++) {
				JsonNode value = column.getValue().get(row);
				if (value.isNumber()) {
					values.add(value.asDouble());
				}
				else if (value.isString()) {
					values.add(value.asString());
				}
				else if (value.isNull()) {
					values.add(null);
				}
				else {
					errors.add(new FieldError(at + "[" + row + "]", "a number, a text or null"));
					break;
				}
			}
			features.put(column.getKey(), values);
		}
		return features;
	}

	private static Outputs outputs(JsonNode node, String place, int n, List<FieldError> errors) {
		if (node == null || !node.isObject() || !(node.has("label") || node.has("values"))) {
			errors.add(new FieldError(place, "an object with a classifier's \"label\" (and \"probabilities\") or "
					+ "a regressor's \"values\""));
			return null;
		}
		List<String> labels = null;
		if (node.has("label") && sized(node.get("label"), place + ".label", n, errors)) {
			labels = new ArrayList<>(n);
			for (JsonNode label : node.get("label")) {
				labels.add(label.isNull() ? null : label.asString());
			}
		}
		Map<String, List<Double>> probabilities = null;
		JsonNode classes = node.get("probabilities");
		if (classes != null && !classes.isNull()) {
			if (!classes.isObject()) {
				errors.add(new FieldError(place + ".probabilities", "an object of columns, {\"class\": [p, ...]}"));
			}
			else {
				probabilities = new LinkedHashMap<>();
				for (Map.Entry<String, JsonNode> column : classes.properties()) {
					List<Double> values = numbers(column.getValue(), place + ".probabilities." + column.getKey(), n,
							errors);
					if (values != null) {
						probabilities.put(column.getKey(), values);
					}
				}
			}
		}
		List<Double> values = node.has("values") ? numbers(node.get("values"), place + ".values", n, errors) : null;
		return new Outputs(labels, probabilities, values);
	}

	private static List<Double> numbers(JsonNode node, String place, int n, List<FieldError> errors) {
		if (!sized(node, place, n, errors)) {
			return null;
		}
		List<Double> numbers = new ArrayList<>(n);
		for (int row = 0; row < n; row++) {
			JsonNode value = node.get(row);
			if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
				errors.add(new FieldError(place + "[" + row + "]", "a finite number"));
				return null;
			}
			numbers.add(value.asDouble());
		}
		return numbers;
	}

	private static boolean sized(JsonNode column, String place, int n, List<FieldError> errors) {
		if (column == null || !column.isArray() || column.size() != n) {
			errors.add(new FieldError(place, "an array of " + n + " values, one per prediction id"));
			return false;
		}
		return true;
	}

}
