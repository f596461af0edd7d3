package dev.flywheel.monitoring.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.support.Database;

/**
 * Reads a model's window for live quality: per version, how many predictions were made in it and which of them have
 * their label (each logged prediction joined with its feedback by prediction id).
 */
@Component
class QualityStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Double>> PROBABILITIES = new TypeReference<>() {
	};

	private final Database database;

	QualityStore(Database database) {
		this.database = database;
	}

	/** One version's window. */
	record VersionWindow(long predictions, List<LabelledPrediction> labelled) {
	}

	/** The versions of {@code model} with predictions made in {@code [from, to)}, by version. */
	Mono<Map<String, VersionWindow>> window(String model, long from, long to) {
		return database.read(client -> client.sql("SELECT model_version, COUNT(*) AS n FROM logged_prediction "
				+ "WHERE model_name = :model AND predicted_at >= :from AND predicted_at < :to GROUP BY model_version")
			.bind("model", model)
			.bind("from", from)
			.bind("to", to)
			.map(row -> Map.entry(row.get("model_version", String.class), row.get("n", Long.class)))
			.all()
			.collectList()
			.flatMap(counts -> client.sql("SELECT p.model_version, p.predicted_label, p.probabilities, p.predicted_at, "
					+ "f.label, f.received_at FROM logged_prediction p JOIN feedback f "
					+ "ON f.prediction_id = p.prediction_id WHERE p.model_name = :model AND p.predicted_at >= :from "
					+ "AND p.predicted_at < :to AND f.label IS NOT NULL "
					+ "AND (p.predicted_label IS NOT NULL OR p.probabilities IS NOT NULL)")
				.bind("model", model)
				.bind("from", from)
				.bind("to", to)
				.map(row -> {
					String probabilities = row.get("probabilities", String.class);
					return Map.entry(row.get("model_version", String.class), new LabelledPrediction(
							row.get("predicted_label", String.class),
							probabilities == null ? null : JSON.readValue(probabilities, PROBABILITIES),
							row.get("label", String.class), row.get("predicted_at", Long.class),
							row.get("received_at", Long.class)));
				})
				.all()
				.collectList()
				.map(rows -> {
					Map<String, List<LabelledPrediction>> labelled = new LinkedHashMap<>();
					rows.forEach(row -> labelled.computeIfAbsent(row.getKey(), v -> new ArrayList<>()).add(row.getValue()));
					Map<String, VersionWindow> windows = new TreeMap<>();
					counts.forEach(count -> windows.put(count.getKey(), new VersionWindow(count.getValue(),
							labelled.getOrDefault(count.getKey(), List.of()))));
					return windows;
				})));
	}

}
