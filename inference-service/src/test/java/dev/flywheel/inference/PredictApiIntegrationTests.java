package dev.flywheel.inference;

import java.net.URI;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.inference.support.Http;
import dev.flywheel.inference.support.Http.Answer;
import dev.flywheel.inference.support.ServingFixture;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The plain API: {@code POST /v1/models/{name}:predict} with records or lists, {@code ?version=}, and
 * {@code GET /v1/models[/{name}]}; errors are {@code {"error": "..."}}.
 */
class PredictApiIntegrationTests {

	private static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

	private static final float[][] ROWS = TestModels.IRIS_ROWS;

	private static final String RECORDS = """
			{"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
			 {"petal_width": 2.3, "petal_length": 5.2, "sepal_width": 3.0, "sepal_length": 6.7},
			 {"sepal_length": 5.9, "sepal_width": 3.0, "petal_length": 4.2, "petal_width": 1.5}]}""";

	private static final String LISTS = """
			{"instances": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]}""";

	private static ServingFixture fixture;

	private static WebTestClient client;

	private static float[][] v1;

	private static float[][] v2;

	@BeforeAll
	static void serve() throws Exception {
		fixture = ServingFixture.get();
		client = fixture.server.client();
		v1 = fixture.irisV1Outputs;
		v2 = fixture.irisV2Outputs;
	}

	@Test
	void predictsRecordsAndListsAsDl4jDoes() {
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict", RECORDS)), "1", v1);
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict", LISTS)), "1", v1);
	}

	@Test
	void versionPicksAnAliasOrANumber() {
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict?version=challenger", RECORDS)), "2", v2);
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict?version=2", RECORDS)), "2", v2);
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict?version=champion", RECORDS)), "1", v1);
		assertPredictions(ok(Http.postJson(client, "/v1/models/iris:predict?version=1", LISTS)), "1", v1);
	}

	@Test
	void listsTheServedModels() {
		JsonNode models = ok(Http.get(client, "/v1/models"));
		assertThat(Http.fieldNames(models)).containsExactly("models");
		assertThat(models.get("models")).hasSize(2);
		assertThat(models.get("models").get(0).asString()).isEqualTo("iris");
		assertThat(models.get("models").get(1).asString()).isEqualTo("mixed");
	}

	@Test
	void reportsWhetherAModelIsReady() throws Exception {
		JsonNode iris = ok(Http.get(client, "/v1/models/iris"));
		assertThat(iris.get("name").asString()).isEqualTo("iris");
		assertThat(iris.get("ready").asBoolean()).isTrue();
		JsonNode unversioned = ok(Http.get(fixture.unready().client(), "/v1/models/" + ServingFixture.UNVERSIONED));
		assertThat(unversioned.get("name").asString()).isEqualTo(ServingFixture.UNVERSIONED);
		assertThat(unversioned.get("ready").asBoolean()).isFalse();
		assertThat(Http.error(Http.get(client, "/v1/models/nope"), 404)).contains("'nope'", "iris", "mixed");
	}

	@Test
	void unknownModelOrVersionIsNotFound() {
		assertThat(Http.error(Http.postJson(client, "/v1/models/nope:predict", RECORDS), 404)).contains("'nope'");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict?version=9", RECORDS), 404))
			.contains("'9'");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict?version=staging", RECORDS), 404))
			.contains("'staging'");
	}

	@Test
	void versionNotLoadedYetIsUnavailableWithRetryAfter() throws Exception {
		assertThat(Http.error(Http.postJson(client, "/v1/models/mixed:predict?version=challenger",
				"{\"instances\": [{\"size\": 4.5, \"garden\": \"kew\"}]}"), 503))
			.contains("'challenger'");
		assertThat(Http.error(Http.postJson(fixture.unready().client(),
				"/v1/models/" + ServingFixture.UNVERSIONED + ":predict", RECORDS), 503))
			.contains(ServingFixture.UNVERSIONED, "'champion'");
	}

	@Test
	void requestIsInstancesAndNothingElse() {
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict",
				"{\"instances\": [[5.1, 3.5, 1.4, 0.2]], \"signature\": \"serving_default\"}"), 400))
			.contains("'signature'", "instances");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict", "{\"inputs\": [[5.1, 3.5, 1.4, 0.2]]}"),
				400))
			.contains("'inputs'");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict", "{}"), 400)).contains("'instances'");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict", "{\"instances\": {\"sepal_length\": 5.1}}"),
				400))
			.contains("'instances'", "array");
		assertThat(Http.error(Http.postJson(client, "/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5, 1.4]]}"),
				400))
			.contains("row 0", "4");
	}

	/** The OpenAPI description of the three prediction APIs, and its UI (here, on the shared serving fixture). */
	@Test
	void describesItsApisInOpenApiWithABrowsableUi() {
		JsonNode docs = JsonMapper.builder().build().readTree(client.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
		assertThat(docs.path("info").path("title").asString()).isEqualTo("Flywheel inference service");
		assertThat(docs.path("paths").propertyNames()).contains("/v2", "/v2/health/live", "/v2/health/ready",
				"/v2/models/{name}", "/v2/models/{name}/ready", "/v2/models/{name}/infer",
				"/v2/models/{name}/versions/{version}/infer", "/invocations", "/ping", "/version", "/v1/models",
				"/v1/models/{name}", "/v1/models/{name}:predict");
		assertThat(docs.path("paths").propertyNames()).as("the benchmark's baselines are not the API")
			.noneMatch(path -> path.startsWith("/bench"));
		JsonNode infer = docs.path("paths").path("/v2/models/{name}/infer").path("post");
		assertThat(infer.path("requestBody").path("content").propertyNames()).contains("application/json");
		assertThat(infer.path("parameters").findValuesAsString("name")).contains("name", "X-Flywheel-Variant");
		assertThat(infer.path("responses").path("400").path("content").path("application/json").path("schema")
			.path("$ref").asString()).endsWith("/Error");
		assertThat(docs.path("paths").path("/invocations").path("post").path("requestBody").path("content")
			.propertyNames()).contains("application/json", "text/csv");
		assertThat(docs.path("paths").path("/invocations").path("post").path("responses").path("404").path("content")
			.path("application/json").path("schema").path("$ref").asString()).endsWith("/MlflowError");
		assertThat(docs.path("components").path("schemas").path("InferenceResponse").path("properties")
			.propertyNames()).as("schemas are snake_case, as the API writes them").contains("model_name");

		String ui = client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection()
			.returnResult(Void.class).getResponseHeaders().getLocation().toString();
		client.get().uri(URI.create("/").resolve(ui).toString()).exchange().expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui"));
	}

	private static JsonNode ok(Answer answer) {
		assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		return answer.json();
	}

	private static void assertPredictions(JsonNode answer, String version, float[][] expected) {
		assertThat(answer.get("model_version").asString()).isEqualTo(version);
		JsonNode predictions = answer.get("predictions");
		assertThat(predictions).hasSize(expected.length);
		for (int row = 0; row < expected.length; row++) {
			JsonNode prediction = predictions.get(row);
			assertThat(Http.fieldNames(prediction.get("probabilities"))).containsExactlyElementsOf(CLASSES);
			int best = 0;
			for (int c = 0; c < CLASSES.size(); c++) {
				assertThat(prediction.get("probabilities").get(CLASSES.get(c)).floatValue()).as("row %d class %d", row, c)
					.isCloseTo(expected[row][c], within(1e-6f));
				best = expected[row][c] > expected[row][best] ? c : best;
			}
			assertThat(prediction.get("label").asString()).isEqualTo(CLASSES.get(best));
		}
		HashSet<String> ids = new HashSet<>();
		answer.get("prediction_ids").forEach(id -> ids.add(id.asString()));
		assertThat(ids).hasSize(expected.length);
	}

}
