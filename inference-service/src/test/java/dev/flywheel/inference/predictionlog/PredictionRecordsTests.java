package dev.flywheel.inference.predictionlog;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.Signature.Input;
import dev.flywheel.bundle.Signature.OutputKind;
import dev.flywheel.inference.predictionlog.PredictionRecords.Logged;
import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.serving.RowsBuilder;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionRecordsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-11-27T04:00:00.123Z");

	@Test
	void writesOneRecordPerRequestWithItsRowsInColumns() {
		RowsBuilder rows = new FeatureSchema(TestModels.MIXED).rows(2);
		rows.number(0, 0, 4.5);
		rows.text(0, 1, "wisley");
		rows.number(1, 0, 7);
		rows.text(1, 1, "kew");
		Prediction prediction = new Prediction("mixed", "3", rows.build(), new float[] { 0.25f, 0.75f, 0.9f, 0.1f }, 2,
				List.of("id-1", "id-2"));

		JsonNode body = JSON.readTree(PredictionRecords.body(List.of(new Logged(prediction, "blue", 1_500_000, NOW),
				new Logged(prediction, null, 2_000_000, NOW))));

		assertThat(body).isEqualTo(JSON.readTree("""
				{"predictions": [
				  {"model": "mixed", "version": "3", "variant": "blue", "timestamp": "2026-11-27T04:00:00.123Z",
				   "latency_ms": 1.5, "prediction_ids": ["id-1", "id-2"],
				   "features": {"size": [4.5, 7.0], "garden": ["wisley", "kew"]},
				   "outputs": {"label": ["yes", "no"], "probabilities": {"no": [0.25, 0.9], "yes": [0.75, 0.1]}}},
				  {"model": "mixed", "version": "3", "timestamp": "2026-11-27T04:00:00.123Z",
				   "latency_ms": 2.0, "prediction_ids": ["id-1", "id-2"],
				   "features": {"size": [4.5, 7.0], "garden": ["wisley", "kew"]},
				   "outputs": {"label": ["yes", "no"], "probabilities": {"no": [0.25, 0.9], "yes": [0.75, 0.1]}}}
				]}"""));
	}

	@Test
	void writesARegressionsValues() {
		Signature signature = new Signature(List.of(Input.numeric("x")), new Signature.Output(OutputKind.REGRESSION,
				null));
		RowsBuilder rows = new FeatureSchema(signature).rows(3);
		rows.number(0, 0, 1);
		rows.number(1, 0, 2);
		rows.number(2, 0, 3);
		Prediction prediction = new Prediction("price", "1", rows.build(), new float[] { 10.5f, 20.25f, -3f }, 1,
				List.of("a", "b", "c"));

		JsonNode record = JSON.readTree(PredictionRecords.body(List.of(new Logged(prediction, null, 0, NOW))))
			.get("predictions")
			.get(0);

		assertThat(record.get("features")).isEqualTo(JSON.readTree("{\"x\": [1.0, 2.0, 3.0]}"));
		assertThat(record.get("outputs")).isEqualTo(JSON.readTree("{\"values\": [10.5, 20.25, -3.0]}"));
	}

	@Test
	void writesEachFloatAsTheShortestTextThatReadsBackAsIt() {
		// JDK 17 writes 2.8287938E17f as "2.82879379E17": one digit more than it needs
		float[] outputs = { 0.1f, 1.0E-5f, 0.33333334f, 2.8287938E17f, 0.99999994f, Float.MIN_VALUE };
		RowsBuilder rows = new FeatureSchema(new Signature(List.of(Input.numeric("x")),
				new Signature.Output(OutputKind.REGRESSION, null))).rows(outputs.length);
		for (int row = 0; row < outputs.length; row++) {
			rows.number(row, 0, row);
		}
		Prediction prediction = new Prediction("m", "1", rows.build(), outputs, 1, List.of("a", "b", "c", "d", "e",
				"f"));

		String body = new String(PredictionRecords.body(List.of(new Logged(prediction, null, 0, NOW))));

		assertThat(body).contains("\"values\":[0.1,1.0E-5,0.33333334,2.8287938E17,0.99999994,1.4E-45]");
		JsonNode values = JSON.readTree(body).get("predictions").get(0).get("outputs").get("values");
		for (int row = 0; row < outputs.length; row++) {
			assertThat((float) values.get(row).doubleValue()).isEqualTo(outputs[row]);
		}
	}

}
