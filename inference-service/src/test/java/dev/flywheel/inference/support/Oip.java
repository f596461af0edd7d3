package dev.flywheel.inference.support;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Open Inference Protocol calls with iris-shaped rows (four numbers), sent as the one {@code input} matrix. */
public final class Oip {

	/** Rows the tests send; the reference outputs of every model differ on them. */
	public static final float[][] ROWS = { { 5.1f, 3.5f, 1.4f, 0.2f }, { 6.7f, 3.0f, 5.2f, 2.3f },
			{ 5.9f, 3.0f, 4.2f, 1.5f } };

	private Oip() {
	}

	/** Posts {@link #ROWS} to {@code path}, whatever the answer. */
	public static EntityExchangeResult<JsonNode> infer(InferenceServer server, String path) {
		float[] flat = new float[ROWS.length * 4];
		for (int i = 0; i < ROWS.length; i++) {
			System.arraycopy(ROWS[i], 0, flat, i * 4, 4);
		}
		return server.client()
			.post()
			.uri(path)
			.bodyValue(Map.of("inputs",
					List.of(Map.of("name", "input", "shape", List.of(ROWS.length, 4), "datatype", "FP32", "data", flat))))
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult();
	}

	/** The version that answered {@link #ROWS} on {@code path}, or null when the answer was not 200. */
	public static String answeringVersion(InferenceServer server, String path) {
		EntityExchangeResult<JsonNode> result = infer(server, path);
		return result.getStatus().value() == 200 ? result.getResponseBody().get("model_version").asString() : null;
	}

	/** Asserts that {@code path} answers {@link #ROWS} with 200, from {@code version}, with exactly {@code expected}. */
	public static void assertAnswers(InferenceServer server, String path, String version, float[][] expected) {
		EntityExchangeResult<JsonNode> result = infer(server, path);
		assertThat(result.getStatus().value()).as("status of %s: %s", path, result.getResponseBody()).isEqualTo(200);
		JsonNode answer = result.getResponseBody();
		assertThat(answer.get("model_version").asString()).as("version answering " + path).isEqualTo(version);
		JsonNode labels = answer.get("outputs").get(0);
		JsonNode probabilities = answer.get("outputs").get(1);
		assertThat(labels.get("name").asString()).isEqualTo("label");
		assertThat(probabilities.get("name").asString()).isEqualTo("probabilities");
		List<String> classes = TestModels.IRIS.output().classes();
		for (int row = 0; row < ROWS.length; row++) {
			int best = 0;
			for (int c = 0; c < 3; c++) {
				assertThat(probabilities.get("data").get(row * 3 + c).floatValue()).as(path + " row " + row)
					.isCloseTo(expected[row][c], within(1e-6f));
				best = expected[row][c] > expected[row][best] ? c : best;
			}
			assertThat(labels.get("data").get(row).asString()).as(path + " label of row " + row)
				.isEqualTo(classes.get(best));
		}
	}

}
