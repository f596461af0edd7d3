package dev.flywheel.monitoring.retraining;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.support.Database;

/** What the automatic triggers read of the stored log and feedback. */
@Component
class TriggerData {

	private final Database database;

	TriggerData(Database database) {
		this.database = database;
	}

	/** The models with a prediction logged since {@code since}. */
	Mono<List<String>> modelsSince(long since) {
		return database.read(client -> client.sql("SELECT DISTINCT model_name FROM logged_prediction "
				+ "WHERE predicted_at >= :since")
			.bind("since", since)
			.map(row -> row.get("model_name", String.class))
			.all()
			.collectList());
	}

	/** The labelled feedback of {@code model} received after {@code since}. */
	Mono<Long> labelsSince(String model, long since) {
		return database.read(client -> client.sql("SELECT COUNT(*) AS n FROM feedback WHERE model_name = :model "
				+ "AND label IS NOT NULL AND received_at > :since")
			.bind("model", model)
			.bind("since", since)
			.map(row -> row.get("n", Long.class))
			.one());
	}

	/** When {@code model}'s first stored prediction was made, or empty. */
	Mono<Long> firstPrediction(String model) {
		return database.read(client -> client.sql("SELECT MIN(predicted_at) AS at FROM logged_prediction "
				+ "WHERE model_name = :model")
			.bind("model", model)
			.map(row -> Optional.ofNullable(row.get("at", Long.class)))
			.one()).flatMap(at -> at.map(Mono::just).orElseGet(Mono::empty));
	}

}
