package dev.flywheel.inference;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.inference.support.Http;
import dev.flywheel.inference.support.Http.Answer;
import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.ServingFixture;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * MLflow's scoring protocol as {@code mlflow models serve} speaks it ({@code reference/mlflow-rest.md} section 9): every
 * JSON form and CSV give what DL4J computes, the model is named when several are served, and errors are MLflow's
 * {@code {"error_code", "message"}}.
 */
class ScoringIntegrationTests {

	private static final String HEADER = "sepal_length,sepal_width,petal_length,petal_width";

	private static final float[][] ROWS = TestModels.IRIS_ROWS;

	private static final String RECORDS = """
			[{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
			 {"petal_width": 2.3, "petal_length": 5.2, "sepal_width": 3.0, "sepal_length": 6.7},
			 {"sepal_length": 5.9, "sepal_width": 3.0, "petal_length": 4.2, "petal_width": 1.5}]""";

	private static final String LISTS = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]";

	private static final String COLUMNS = """
			{"petal_width": [0.2, 2.3, 1.5], "sepal_length": [5.1, 6.7, 5.9], "sepal_width": [3.5, 3.0, 3.0],
			 "petal_length": [1.4, 5.2, 4.2]}""";

	private static ServingFixture fixture;

	private static WebTestClient client;

	/** A service that serves iris alone, so that requests need not name it. */
	private static InferenceServer single;

	private static float[][] v1;

	private static float[][] v2;

	@BeforeAll
	static void serve() throws Exception {
		fixture = ServingFixture.get();
		client = fixture.server.client();
		v1 = fixture.irisV1Outputs;
		v2 = fixture.irisV2Outputs;
		single = InferenceServer.start(Files.createTempDirectory("flywheel-single-"), fixture.registry.baseUrl(),
				Map.of("flywheel.inference.models", ServingFixture.IRIS, "flywheel.monitoring.url",
						"http://127.0.0.1:9"))
			.awaitReady();
	}

	@AfterAll
	static void stop() {
		if (single != null) {
			single.close();
		}
	}

	static Stream<Arguments> jsonForms() {
		return Stream.of(
				arguments("dataframe_split", "{\"dataframe_split\": {\"columns\": [\"" + HEADER.replace(",", "\", \"")
						+ "\"], \"data\": " + LISTS + "}}"),
				arguments("dataframe_split with an index and columns in another order", """
						{"dataframe_split": {"index": [7, 8, 9], "columns": ["petal_width", "sepal_length", "sepal_width", "petal_length"],
						 "data": [[0.2, 5.1, 3.5, 1.4], [2.3, 6.7, 3.0, 5.2], [1.5, 5.9, 3.0, 4.2]]}}"""),
				arguments("dataframe_records", "{\"dataframe_records\": " + RECORDS + "}"),
				arguments("instances as records", "{\"instances\": " + RECORDS + "}"),
				arguments("instances as lists in signature order", "{\"instances\": " + LISTS + "}"),
				arguments("inputs as records", "{\"inputs\": " + RECORDS + "}"),
				arguments("inputs as a columnar dict", "{\"inputs\": " + COLUMNS + "}"),
				arguments("inputs as lists", "{\"inputs\": " + LISTS + "}"),
				arguments("dataframe_records with params", "{\"params\": {\"temperature\": 0.5}, \"dataframe_records\": "
						+ RECORDS + "}"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonForms")
	void everyJsonFormGivesDl4jsAnswer(String form, String body) {
		assertScores(ok(Http.postJson(client, "/invocations?model=iris", body)), "1", v1);
	}

	static Stream<Arguments> csvBodies() {
		return Stream.of(arguments("LF line ends", "text/csv", HEADER + "\n" + csvRows("\n")),
				arguments("CRLF line ends and a charset", "text/csv; charset=utf-8", HEADER + "\r\n" + csvRows("\r\n")),
				arguments("quoted cells, spaces and columns in another order", "text/csv", """
						"petal_width", sepal_length ,"sepal_width",petal_length
						"0.2",5.1,3.5,1.4
						2.3, 6.7 ,3.0,"5.2"

						1.5,5.9,"3.0",4.2"""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("csvBodies")
	void csvWithAHeaderGivesDl4jsAnswer(String form, String contentType, String body) {
		assertScores(ok(Http.post(client, "/invocations?model=iris", contentType, body)), "1", v1);
	}

	@Test
	void categoricalFeatureComesAsItsCategory() throws Exception {
		float[][] expected = TestModels.reference(fixture.mixedV1, new float[][] { { 4.5f, 1, 0 }, { 7.5f, 0, 1 } });
		JsonNode json = ok(Http.postJson(client, "/invocations?model=mixed", """
				{"dataframe_records": [{"size": 4.5, "garden": "kew"}, {"size": 7.5, "garden": "wisley"}]}"""));
		assertScores(json, "1", expected, List.of("no", "yes"));
		JsonNode csv = ok(Http.post(client, "/invocations?model=mixed", "text/csv", "garden,size\nkew,4.5\nwisley,7.5\n"));
		assertScores(csv, "1", expected, List.of("no", "yes"));
	}

	@Test
	void versionPicksAnAliasOrANumber() {
		String body = "{\"instances\": " + LISTS + "}";
		assertScores(ok(Http.postJson(client, "/invocations?model=iris&version=challenger", body)), "2", v2);
		assertScores(ok(Http.postJson(client, "/invocations?model=iris&version=2", body)), "2", v2);
		assertScores(ok(Http.postJson(client, "/invocations?model=iris&version=champion", body)), "1", v1);
		assertScores(ok(Http.postJson(client, "/invocations?model=iris&version=1", body)), "1", v1);
	}

	@Test
	void modelNeedNotBeNamedWhenOnlyOneIsServed() {
		assertScores(ok(Http.postJson(single.client(), "/invocations", "{\"dataframe_records\": " + RECORDS + "}")),
				"1", v1);
		assertScores(ok(Http.post(single.client(), "/invocations", "text/csv", HEADER + "\n" + csvRows("\n"))), "1",
				v1);
		assertScores(ok(Http.postJson(single.client(), "/invocations?version=challenger", "{\"inputs\": " + COLUMNS
				+ "}")), "2", v2);
	}

	@Test
	void modelMustBeNamedWhenSeveralAreServed() {
		String message = Http.mlflowError(
				Http.postJson(client, "/invocations", "{\"dataframe_records\": " + RECORDS + "}"), 400, "BAD_REQUEST");
		assertThat(message).contains("iris", "mixed", "?model=");
	}

	@Test
	void unknownModelOrVersionIsNotFound() {
		String body = "{\"instances\": " + LISTS + "}";
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=nope", body), 404,
				"RESOURCE_DOES_NOT_EXIST")).contains("'nope'");
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris&version=9", body), 404,
				"RESOURCE_DOES_NOT_EXIST")).contains("'9'");
	}

	@Test
	void versionNotLoadedYetIsTemporarilyUnavailable() {
		String message = Http.mlflowError(Http.postJson(client, "/invocations?model=mixed&version=challenger",
				"{\"dataframe_records\": [{\"size\": 4.5, \"garden\": \"kew\"}]}"), 503, "TEMPORARILY_UNAVAILABLE");
		assertThat(message).contains("'challenger'");
	}

	@Test
	void unsupportedContentTypeIsRefused() {
		for (String type : List.of("text/plain", "application/xml", "application/octet-stream")) {
			String message = Http.mlflowError(Http.post(client, "/invocations?model=iris", type, "{\"instances\": "
					+ LISTS + "}"), 415, "BAD_REQUEST");
			assertThat(message).contains(type, "application/json", "text/csv");
		}
	}

	@Test
	void bodyMustHoldExactlyOneForm() {
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris", "{\"params\": {}}"), 400,
				"BAD_REQUEST"))
			.contains("dataframe_split", "dataframe_records", "instances", "inputs");
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris",
				"{\"instances\": " + LISTS + ", \"inputs\": " + LISTS + "}"), 400, "BAD_REQUEST"))
			.contains("instances", "inputs", "exactly one");
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris",
				"{\"columns\": [\"a\"], \"data\": [[1]]}"), 400, "BAD_REQUEST"))
			.contains("'columns'");
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris", LISTS), 400, "BAD_REQUEST"))
			.contains("object");
		assertThat(Http.mlflowError(Http.postJson(client, "/invocations?model=iris",
				"{\"dataframe_split\": {\"columns\": [\"sepal_length\"], \"data\": [[5.1]]}}"), 400, "BAD_REQUEST"))
			.contains("sepal_width", "petal_length", "petal_width");
	}

	@Test
	void pingReportsReadiness() throws Exception {
		assertThat(Http.get(client, "/ping?model=iris").status()).isEqualTo(200);
		assertThat(Http.get(client, "/ping?model=mixed").status()).isEqualTo(200);
		assertThat(Http.get(client, "/ping").status()).as("every served model is ready").isEqualTo(200);
		assertThat(Http.get(single.client(), "/ping").status()).isEqualTo(200);
		InferenceServer unready = fixture.unready();
		assertThat(Http.get(unready.client(), "/ping").status()).isEqualTo(503);
		assertThat(Http.get(unready.client(), "/ping?model=" + ServingFixture.UNVERSIONED).status()).isEqualTo(503);
		assertThat(Http.mlflowError(Http.get(client, "/ping?model=nope"), 404, "RESOURCE_DOES_NOT_EXIST"))
			.contains("'nope'");
	}

	@Test
	void versionNamesTheServer() {
		Answer answer = Http.get(client, "/version");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isNotBlank().doesNotContain("{");
	}

	private static JsonNode ok(Answer answer) {
		assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		return answer.json();
	}

	private static void assertScores(JsonNode scores, String version, float[][] expected) {
		assertScores(scores, version, expected, List.of("setosa", "versicolor", "virginica"));
	}

	private static void assertScores(JsonNode scores, String version, float[][] expected, List<String> classes) {
		assertThat(scores.get("model_version").asString()).isEqualTo(version);
		List<String> answeredClasses = new ArrayList<>();
		scores.get("classes").forEach(name -> answeredClasses.add(name.asString()));
		assertThat(answeredClasses).isEqualTo(classes);
		assertThat(scores.get("predictions")).hasSize(expected.length);
		assertThat(scores.get("probabilities")).hasSize(expected.length);
		for (int row = 0; row < expected.length; row++) {
			JsonNode probabilities = scores.get("probabilities").get(row);
			assertThat(probabilities).hasSize(classes.size());
			int best = 0;
			for (int c = 0; c < classes.size(); c++) {
				assertThat(probabilities.get(c).floatValue()).as("row %d class %d", row, c)
					.isCloseTo(expected[row][c], within(1e-6f));
				best = expected[row][c] > expected[row][best] ? c : best;
			}
			assertThat(scores.get("predictions").get(row).asString()).isEqualTo(classes.get(best));
		}
		HashSet<String> ids = new HashSet<>();
		scores.get("prediction_ids").forEach(id -> ids.add(id.asString()));
		assertThat(ids).hasSize(expected.length);
	}

	private static String csvRows(String lineEnd) {
		StringBuilder csv = new StringBuilder();
		for (float[] row : ROWS) {
			csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append(',').append(row[3])
				.append(lineEnd);
		}
		return csv.toString();
	}

}
