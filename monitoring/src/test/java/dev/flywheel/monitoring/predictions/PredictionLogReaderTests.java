package dev.flywheel.monitoring.predictions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flywheel.monitoring.ingest.FieldError;
import dev.flywheel.monitoring.ingest.InvalidBodyException;

import static dev.flywheel.monitoring.ingest.IngestBodies.irisRecord;
import static dev.flywheel.monitoring.ingest.IngestBodies.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PredictionLogReaderTests {

	private static final Instant AT = Instant.parse("2026-11-27T04:00:00.123Z");

	private static List<LoggedPrediction> read(String body) {
		return PredictionLogReader.read(body.getBytes(StandardCharsets.UTF_8));
	}

	private static List<FieldError> errorsOf(String body) {
		return catchThrowableOfType(InvalidBodyException.class, () -> read(body)).errors();
	}

	@Test
	void readsColumnsIntoOneRowPerPrediction() {
		List<LoggedPrediction> rows = read(predictions(List.of(irisRecord("2", "v2", AT, List.of("a", "b")),
				irisRecord("1", null, AT.plusSeconds(1), List.of("c")))));

		assertThat(rows).extracting(LoggedPrediction::predictionId).containsExactly("a", "b", "c");
		LoggedPrediction b = rows.get(1);
		assertThat(b.model()).isEqualTo("iris-species");
		assertThat(b.version()).isEqualTo("2");
		assertThat(b.variant()).isEqualTo("v2");
		assertThat(b.predictedAt()).isEqualTo(AT.toEpochMilli());
		assertThat(b.latencyMs()).isEqualTo(1.5);
		assertThat(b.features()).containsExactly(Map.entry("sepal_length", 5.1), Map.entry("petal_length", 2.4));
		assertThat(b.label()).isEqualTo("virginica");
		assertThat(b.probabilities()).containsEntry("virginica", 0.9).containsEntry("setosa", 0.1);
		assertThat(b.value()).isNull();
		assertThat(rows.get(2).variant()).isNull();
		assertThat(rows.get(2).predictedAt()).isEqualTo(AT.plusSeconds(1).toEpochMilli());
	}

	@Test
	void readsARegressorsValuesAndCategoricalAndMissingFeatures() {
		List<LoggedPrediction> rows = read("""
				{"predictions": [{"model": "price", "version": 3, "timestamp": "2026-11-27T04:00:00Z",
				  "prediction_ids": ["p1", "p2"],
				  "features": {"garden": ["kew", null], "rooms": [3, 4.5]},
				  "outputs": {"values": [101.5, 99]}}]}""");

		assertThat(rows.get(0).version()).isEqualTo("3");
		assertThat(rows.get(0).value()).isEqualTo(101.5);
		assertThat(rows.get(0).label()).isNull();
		assertThat(rows.get(0).features()).containsEntry("garden", "kew").containsEntry("rooms", 3.0);
		assertThat(rows.get(1).features()).containsEntry("garden", null).containsEntry("rooms", 4.5);
	}

	@Test
	void namesEveryFaultByItsPlace() {
		List<FieldError> errors = errorsOf("""
				{"predictions": [
				  {"model": "iris", "version": "1", "timestamp": "yesterday", "prediction_ids": ["a", "b"],
				   "features": {"x": [1]}, "outputs": {"label": ["s", "t"]}},
				  {"version": "1", "timestamp": "2026-11-27T04:00:00Z", "latency_ms": -1, "prediction_ids": ["c"],
				   "features": {"x": [true]}, "outputs": {"label": ["s"], "probabilities": {"s": ["high"]}}},
				  {"model": "iris", "version": "1", "timestamp": "2026-11-27T04:00:00Z", "prediction_ids": [],
				   "features": {}, "outputs": {}},
				  {"model": "iris", "version": "1", "timestamp": "2026-11-27T04:00:00Z", "prediction_ids": ["d"],
				   "features": {"x": [1]}, "outputs": {"probabilities": {}}},
				  42
				]}""");

		assertThat(errors).extracting(FieldError::field)
			.containsExactly("predictions[0].timestamp", "predictions[0].features.x", "predictions[1].model",
					"predictions[1].latency_ms", "predictions[1].features.x[0]",
					"predictions[1].outputs.probabilities.s[0]", "predictions[2].prediction_ids",
					"predictions[3].outputs", "predictions[4]");
		assertThat(errors.get(1).message()).isEqualTo("an array of 2 values, one per prediction id");
		assertThat(errors.get(0).message()).contains("'yesterday' is not an ISO-8601 instant");
	}

	@Test
	void refusesWhatIsNotAPredictionLog() {
		for (String body : new String[] { "", "[]", "{}", "{\"predictions\": {}}", "{\"predictions\": [", "null" }) {
			assertThat(catchThrowableOfType(InvalidBodyException.class, () -> read(body))).as(body).isNotNull();
		}
		assertThat(errorsOf("{\"predictions\": [")).extracting(FieldError::message)
			.allMatch(message -> message.startsWith("malformed JSON"));
	}

	@Test
	void refusesAnIdOverSixtyFourCharacters() {
		String id = "x".repeat(65);
		assertThat(errorsOf(predictions(List.of(irisRecord("1", null, AT, List.of(id)))))).extracting(FieldError::field)
			.containsExactly("predictions[0].prediction_ids[0]");
	}

}
