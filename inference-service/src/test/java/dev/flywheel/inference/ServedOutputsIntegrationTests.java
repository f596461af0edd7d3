package dev.flywheel.inference;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.flywheel.inference.support.ServingFixture;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the service answers is what DL4J computes for the same rows, for every version and alias and every API. */
class ServedOutputsIntegrationTests {

	private static ServingFixture fixture;

	private static final float[][] ROWS = TestModels.IRIS_ROWS;

	@BeforeAll
	static void serve() throws Exception {
		fixture = ServingFixture.get();
	}

	@Test
	void oipAnswersMatchDl4jForEachVersionAndAlias() throws Exception {
		float[][] v1 = fixture.irisV1Outputs;
		float[][] v2 = fixture.irisV2Outputs;
		assertThat(v1[0][0]).isNotCloseTo(v2[0][0], within(1e-3f));
		assertOip("/v2/models/iris/infer", "1", v1);
		assertOip("/v2/models/iris/versions/champion/infer", "1", v1);
		assertOip("/v2/models/iris/versions/1/infer", "1", v1);
		assertOip("/v2/models/iris/versions/challenger/infer", "2", v2);
		assertOip("/v2/models/iris/versions/2/infer", "2", v2);
	}

	@Test
	void categoricalFeaturesAreOneHotEncodedAsInTraining() throws Exception {
		float[][] expected = TestModels.reference(fixture.mixedV1, new float[][] { { 4.5f, 1, 0 }, { 7.5f, 0, 1 } });
		JsonNode answer = fixture.server.client()
			.post()
			.uri("/v1/models/mixed:predict")
			.bodyValue(Map.of("instances", List.of(Map.of("size", 4.5, "garden", "kew"),
					Map.of("size", 7.5, "garden", "wisley"))))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.get("model_version").asString()).isEqualTo("1");
		for (int row = 0; row < 2; row++) {
			JsonNode probabilities = answer.get("predictions").get(row).get("probabilities");
			assertThat(probabilities.get("no").floatValue()).isCloseTo(expected[row][0], within(1e-6f));
			assertThat(probabilities.get("yes").floatValue()).isCloseTo(expected[row][1], within(1e-6f));
		}
	}

	private void assertOip(String path, String version, float[][] expected) {
		float[] flat = new float[ROWS.length * 4];
		for (int i = 0; i < ROWS.length; i++) {
			System.arraycopy(ROWS[i], 0, flat, i * 4, 4);
		}
		JsonNode answer = fixture.server.client()
			.post()
			.uri(path)
			.bodyValue(Map.of("inputs",
					List.of(Map.of("name", "input", "shape", List.of(ROWS.length, 4), "datatype", "FP32", "data", flat))))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.get("model_version").asString()).as(path).isEqualTo(version);
		JsonNode probabilities = answer.get("outputs").get(1);
		assertThat(probabilities.get("name").asString()).isEqualTo("probabilities");
		for (int row = 0; row < ROWS.length; row++) {
			for (int c = 0; c < 3; c++) {
				assertThat(probabilities.get("data").get(row * 3 + c).floatValue()).as(path + " row " + row)
					.isCloseTo(expected[row][c], within(1e-6f));
			}
		}
	}

}
