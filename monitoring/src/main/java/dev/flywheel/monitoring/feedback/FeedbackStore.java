package dev.flywheel.monitoring.feedback;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.ingest.IngestReport;
import dev.flywheel.monitoring.ingest.RowInserter;
import dev.flywheel.monitoring.ingest.RowInserter.Column;
import dev.flywheel.support.Database;

/** The feedback in the database ({@code feedback}): the first event for a prediction id wins; read back by id. */
@Component
public class FeedbackStore {

	private final Database database;

	private final RowInserter inserter;

	FeedbackStore(Database database) {
		this.database = database;
		this.inserter = new RowInserter(database, "feedback",
				List.of(new Column("prediction_id", String.class), new Column("model_name", String.class),
						new Column("model_version", String.class), new Column("ab_test_id", String.class),
						new Column("variant", String.class), new Column("predicted", String.class),
						new Column("label", String.class), new Column("reward", Double.class),
						new Column("predicted_at", Long.class), new Column("received_at", Long.class)));
	}

	Mono<IngestReport> store(List<FeedbackEvent> events) {
		return inserter.insert(events.stream()
			.map(e -> new Object[] { e.predictionId(), e.model(), e.modelVersion(), e.abTestId(), e.variant(),
					e.predicted(), e.label(), e.reward(), e.predictedAt(), e.receivedAt() })
			.toList()).map(stored -> IngestReport.of(events.size(), stored.size()));
	}

	/** The feedback stored for a prediction, if any. */
	public Mono<FeedbackEvent> find(String predictionId) {
		return database.read(client -> client
			.sql("SELECT prediction_id, model_name, model_version, ab_test_id, variant, predicted, label, reward, "
					+ "predicted_at, received_at FROM feedback WHERE prediction_id = :id")
			.bind("id", predictionId)
			.map(row -> new FeedbackEvent(row.get("prediction_id", String.class), row.get("model_name", String.class),
					row.get("model_version", String.class), row.get("ab_test_id", String.class),
					row.get("variant", String.class), row.get("predicted", String.class),
					row.get("label", String.class), row.get("reward", Double.class),
					row.get("predicted_at", Long.class), row.get("received_at", Long.class)))
			.one());
	}

}
