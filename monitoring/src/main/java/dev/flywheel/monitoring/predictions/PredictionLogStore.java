package dev.flywheel.monitoring.predictions;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.r2dbc.spi.Readable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.ingest.RowInserter;
import dev.flywheel.monitoring.ingest.RowInserter.Column;
import dev.flywheel.support.Database;

/**
 * The prediction log in the database ({@code logged_prediction}): one row per prediction, the first logged for an id
 * winning, and read back by id.
 */
@Component
public class PredictionLogStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> FEATURES = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Double>> PROBABILITIES = new TypeReference<>() {
	};

	private static final String SELECT = "SELECT prediction_id, model_name, model_version, variant, predicted_at, "
			+ "latency_ms, features, predicted_label, probabilities, predicted_value FROM logged_prediction";

	private final Database database;

	private final RowInserter inserter;

	PredictionLogStore(Database database) {
		this.database = database;
		this.inserter = new RowInserter(database, "logged_prediction",
				List.of(new Column("prediction_id", String.class), new Column("model_name", String.class),
						new Column("model_version", String.class), new Column("variant", String.class),
						new Column("predicted_at", Long.class), new Column("latency_ms", Double.class),
						new Column("features", String.class), new Column("predicted_label", String.class),
						new Column("probabilities", String.class), new Column("predicted_value", Double.class)));
	}

	/** Stores the predictions whose id is new; the ids stored. */
	Mono<Set<String>> store(List<LoggedPrediction> predictions) {
		return inserter.insert(predictions.stream()
			.map(p -> new Object[] { p.predictionId(), p.model(), p.version(), p.variant(), p.predictedAt(),
					p.latencyMs(), JSON.writeValueAsString(p.features()), p.label(),
					p.probabilities() == null ? null : JSON.writeValueAsString(p.probabilities()), p.value() })
			.toList());
	}

	Mono<LoggedPrediction> find(String predictionId) {
		return database.read(client -> client.sql(SELECT + " WHERE prediction_id = :id")
			.bind("id", predictionId)
			.map(PredictionLogStore::prediction)
			.one());
	}

	/** Every prediction predicted at or after {@code from} (epoch milliseconds), in no particular order. */
	public Flux<LoggedPrediction> predictedSince(long from) {
		return database.read(client -> client.sql(SELECT + " WHERE predicted_at >= :from")
			.bind("from", from)
			.map(PredictionLogStore::prediction)
			.all()
			.collectList()).flatMapMany(Flux::fromIterable);
	}

	private static LoggedPrediction prediction(Readable row) {
		String probabilities = row.get("probabilities", String.class);
		return new LoggedPrediction(row.get("prediction_id", String.class), row.get("model_name", String.class),
				row.get("model_version", String.class), row.get("variant", String.class),
				row.get("predicted_at", Long.class), row.get("latency_ms", Double.class),
				JSON.readValue(row.get("features", String.class), FEATURES), row.get("predicted_label", String.class),
				probabilities == null ? null : JSON.readValue(probabilities, PROBABILITIES),
				row.get("predicted_value", Double.class));
	}

}
