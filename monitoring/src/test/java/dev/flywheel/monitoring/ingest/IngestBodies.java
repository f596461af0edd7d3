package dev.flywheel.monitoring.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Bodies as the inference service's prediction log and the router's feedback forwarder post them. */
public final class IngestBodies {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private IngestBodies() {
	}

	/** One iris record of {@code ids.size()} rows, predicted at {@code at}. */
	public static Map<String, Object> irisRecord(String version, String variant, Instant at, List<String> ids) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("model", "iris-species");
		record.put("version", version);
		if (variant != null) {
			record.put("variant", variant);
		}
		record.put("timestamp", at.toString());
		record.put("latency_ms", 1.5);
		record.put("prediction_ids", ids);
		Map<String, Object> features = new LinkedHashMap<>();
		List<Double> sepal = new ArrayList<>();
		List<Double> petal = new ArrayList<>();
		List<String> labels = new ArrayList<>();
		List<Double> setosa = new ArrayList<>();
		List<Double> virginica = new ArrayList<>();
		for (int row = 0; row < ids.size(); row++) {
			sepal.add(5.0 + row / 10.0);
			petal.add(1.4 + row);
			labels.add(row % 2 == 0 ? "setosa" : "virginica");
			setosa.add(row % 2 == 0 ? 0.9 : 0.1);
			virginica.add(row % 2 == 0 ? 0.1 : 0.9);
		}
		features.put("sepal_length", sepal);
		features.put("petal_length", petal);
		record.put("features", features);
		record.put("outputs", Map.of("label", labels, "probabilities",
				new LinkedHashMap<>(Map.of("setosa", setosa, "virginica", virginica))));
		return record;
	}

	public static String predictions(List<Map<String, Object>> records) {
		return JSON.writeValueAsString(Map.of("predictions", records));
	}

	/** One feedback event as the router forwards it. */
	public static Map<String, Object> feedbackEvent(String id, String label, Instant predictedAt) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("prediction_id", id);
		event.put("model", "iris-species");
		event.put("model_version", "2");
		event.put("ab_test_id", "0b1c6a8e-0000-4000-8000-000000000001");
		event.put("variant", "v2");
		event.put("predicted", "setosa");
		event.put("label", label);
		event.put("predicted_at", predictedAt.toString());
		event.put("received_at", predictedAt.plusSeconds(60).toString());
		return event;
	}

	public static String feedback(List<Map<String, Object>> events) {
		return JSON.writeValueAsString(Map.of("feedback", events));
	}

}
