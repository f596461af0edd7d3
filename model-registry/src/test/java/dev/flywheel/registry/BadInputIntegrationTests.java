package dev.flywheel.registry;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.registry.support.MlflowErrors.assertError;
import static dev.flywheel.registry.support.MlflowErrors.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad request gets MLflow's error JSON with MLflow's status and a message naming the problem, never a
 * 500 or a stack trace: broken JSON, wrong types, missing parameters, MLflow's length and name rules, batch limits,
 * the body size limit, unknown routes and entities, and filters outside the search language.
 */
class BadInputIntegrationTests extends RegistryTestSupport {

	private static final String API = "/api/2.0/mlflow/";

	private static final String INVALID = "INVALID_PARAMETER_VALUE";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		registry.add("flywheel.registry.max-request-size", () -> "64KB");
	}

	@Test
	void malformedJsonBodiesAreInvalidParameterValues() {
		assertError(post("experiments/create", "{\"name\": "), 400, INVALID).startsWith("Malformed JSON");
		assertError(post("experiments/create", "{name: 'x'}"), 400, INVALID).startsWith("Malformed JSON");
		for (String notAnObject : List.of("[{\"name\": \"x\"}]", "\"x\"", "42", "null")) {
			assertError(post("experiments/create", notAnObject), 400, INVALID).as(notAnObject)
				.isEqualTo("The request body must be a JSON object");
		}
	}

	@Test
	void wrongTypesAreRefusedNamingTheParameter() {
		String runId = mlflow().createRun().getRunId();
		assertError(post("experiments/create", "{\"name\": 123}"), 400, INVALID).contains("'name'").contains("string");
		assertError(post("experiments/create", "{\"name\": \"x\", \"tags\": \"t\"}"), 400, INVALID).contains("'tags'");
		assertError(post("runs/log-metric", metric(runId, "\"abc\"", "1")), 400, INVALID).contains("'value'")
			.contains("number");
		assertError(post("runs/log-metric", metric(runId, "1.5", "\"abc\"")), 400, INVALID).contains("'timestamp'")
			.contains("integer");
		assertError(post("runs/log-metric", metric(runId, "1.5", "1.25")), 400, INVALID).contains("'timestamp'");
		assertError(post("runs/search", "{\"experiment_ids\": [\"0\"], \"max_results\": \"lots\"}"), 400, INVALID)
			.contains("'max_results'");
		assertError(send("GET", API + "runs/search?experiment_ids=0&max_results=lots", null), 400, INVALID)
			.contains("'max_results'");
		for (String search : List.of("runs/search", "experiments/search", "registered-models/search",
				"model-versions/search")) {
			// 2^32 + 1 must not wrap around to a page size of 1
			assertError(send("GET", API + search + "?max_results=4294967297", null), 400, INVALID).as(search)
				.contains("'max_results'");
		}
		assertError(send("GET", API + "model-versions/get?name=m&version=abc", null), 400, INVALID)
			.contains("'version'");
		assertThat(json(send("GET", API + "runs/get?run_id=" + runId, null).body()).path("run").path("data")
			.path("metrics")).as("nothing was logged").isEmpty();
	}

	@Test
	void int64IsAcceptedAsAStringOrANumber() {
		String runId = mlflow().createRun().getRunId();
		String run = "{\"run_id\": \"" + runId + "\", \"key\": \"m\", ";
		HttpResponse<String> asString = post("runs/log-metric",
				run + "\"value\": 1, \"timestamp\": \"1700000000000\", \"step\": \"3\"}");
		assertThat(asString.statusCode()).as(asString.body()).isEqualTo(200);
		HttpResponse<String> asNumber = post("runs/log-metric",
				run + "\"value\": \"2\", \"timestamp\": 1700000000001, \"step\": 4}");
		assertThat(asNumber.statusCode()).as(asNumber.body()).isEqualTo(200);
		JsonNode history = json(
				send("GET", API + "metrics/get-history?run_id=" + runId + "&metric_key=m", null).body());
		List<String> logged = new ArrayList<>();
		for (JsonNode m : history.path("metrics")) {
			logged.add(m.path("timestamp").asLong() + "/" + m.path("step").asLong() + "/" + m.path("value").asDouble());
		}
		assertThat(logged).containsExactlyInAnyOrder("1700000000000/3/1.0", "1700000000001/4/2.0");
	}

	@Test
	void missingRequiredParametersAreNamed() {
		assertError(post("experiments/create", "{}"), 400, INVALID)
			.isEqualTo("Missing value for required parameter 'name'.");
		assertError(post("experiments/create", "{\"name\": \"\"}"), 400, INVALID)
			.isEqualTo("Missing value for required parameter 'name'.");
		assertError(post("experiments/create", ""), 400, INVALID)
			.isEqualTo("Missing value for required parameter 'name'.");
		assertError(send("GET", API + "runs/get", null), 400, INVALID)
			.isEqualTo("Missing value for required parameter 'run_id'.");
		assertError(post("registered-models/create", "{\"name\": null}"), 400, INVALID)
			.isEqualTo("Missing value for required parameter 'name'.");
	}

	@Test
	void overLongKeysValuesAndNamesAreRefusedAtMlflowsLimits() {
		String runId = mlflow().createRun().getRunId();
		String model = createModel();
		assertThat(post("runs/log-metric", metric(runId, "k".repeat(250), "1", "1")).statusCode()).isEqualTo(200);
		assertError(post("runs/log-metric", metric(runId, "k".repeat(251), "1", "1")), 400, INVALID)
			.contains("length 251").contains("limit of 250");
		assertThat(post("runs/log-parameter", keyValue(runId, "p1", 6000)).statusCode()).isEqualTo(200);
		assertError(post("runs/log-parameter", keyValue(runId, "p2", 6001)), 400, INVALID).contains("Param value")
			.contains("limit of 6000");
		assertError(post("runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"" + "p".repeat(251)
				+ "\", \"value\": \"v\"}"), 400, INVALID).contains("limit of 250");
		assertThat(post("runs/set-tag", keyValue(runId, "t", 8000)).statusCode()).isEqualTo(200);
		assertError(post("runs/set-tag", keyValue(runId, "t", 8001)), 400, INVALID).contains("limit of 8000");
		String registryTag = "{\"name\": \"" + model + "\", \"key\": \"t\", \"value\": \"";
		assertThat(post("registered-models/set-tag", registryTag + "v".repeat(5000) + "\"}").statusCode())
			.isEqualTo(200);
		assertError(post("registered-models/set-tag", registryTag + "v".repeat(5001) + "\"}"), 400, INVALID)
			.contains("limit of 5000");
		assertThat(post("experiments/create", "{\"name\": \"" + unique("e") + "e".repeat(490) + "\"}").statusCode())
			.isEqualTo(200);
		assertError(post("experiments/create", "{\"name\": \"" + "e".repeat(501) + "\"}"), 400, INVALID)
			.contains("Experiment name").contains("limit of 500");
	}

	@Test
	void namesOutsideMlflowsKeyPatternAreRefused() {
		String runId = mlflow().createRun().getRunId();
		for (String key : List.of("bad!key", "a/../b", "/abs", "./x", "..", "a\\\\b", "semi;colon")) {
			assertError(post("runs/log-metric", metric(runId, key, "1", "1")), 400, INVALID).as(key)
				.startsWith("Invalid metric name");
			assertError(post("runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"" + key
					+ "\", \"value\": \"v\"}"), 400, INVALID).as(key).startsWith("Invalid parameter name");
		}
		assertThat(post("runs/log-metric", metric(runId, "ok/path-with.dots_and:colon 1", "1", "1")).statusCode())
			.isEqualTo(200);
	}

	@Test
	void reservedAndMalformedAliasesAreRefused() {
		String model = createModel();
		post("model-versions/create", "{\"name\": \"" + model + "\", \"source\": \"s3://b/m\"}");
		for (String alias : List.of("latest", "Latest", "v3", "V12", "has space", "a/b", "dot.ted")) {
			assertError(post("registered-models/alias", alias(model, alias)), 400, INVALID).as(alias).contains(alias);
		}
		assertThat(post("registered-models/alias", alias(model, "champion-1_b")).statusCode()).isEqualTo(200);
		assertThat(json(send("GET", API + "registered-models/get?name=" + model, null).body()).path("registered_model")
			.path("aliases")).hasSize(1);
	}

	@Test
	void logBatchOverMlflowsLimitsIsRefused() {
		String runId = mlflow().createRun().getRunId();
		assertError(post("runs/log-batch", batch(runId, 1001, 0, 0)), 400, INVALID).contains("at most 1000 metrics")
			.contains("Got 1001");
		assertError(post("runs/log-batch", batch(runId, 0, 101, 0)), 400, INVALID).contains("at most 100 params");
		assertError(post("runs/log-batch", batch(runId, 0, 0, 101)), 400, INVALID).contains("at most 100 tags");
		assertError(post("runs/log-batch", batch(runId, 950, 50, 50)), 400, INVALID).contains("at most 1000 total");
		JsonNode data = json(send("GET", API + "runs/get?run_id=" + runId, null).body()).path("run").path("data");
		assertThat(data.path("metrics")).as("nothing was logged").isEmpty();
		assertThat(data.path("params")).as("nothing was logged").isEmpty();
		HttpResponse<String> atLimits = post("runs/log-batch", batch(runId, 1000, 0, 0));
		assertThat(atLimits.statusCode()).as(atLimits.body()).isEqualTo(200);
		assertThat(post("runs/log-batch", batch(runId, 0, 100, 100)).statusCode()).isEqualTo(200);
	}

	@Test
	void bodiesOverTheRequestSizeLimitAre413() {
		String big = "{\"name\": \"" + "x".repeat(100 * 1024) + "\"}";
		assertError(post("experiments/create", big), 413, "BAD_REQUEST").contains("size limit");
		assertError(post("runs/log-batch", "{\"run_id\": \"r\", \"params\": [" + IntStream.range(0, 3000)
			.mapToObj(i -> "{\"key\": \"p" + i + "\", \"value\": \"v\"}")
			.collect(Collectors.joining(",")) + "]}"), 413, "BAD_REQUEST");
		assertThat(post("experiments/create", "{\"name\": \"" + unique("after") + "\"}").statusCode())
			.as("the server still answers").isEqualTo(200);
	}

	@Test
	void unknownRoutesAndWrongMethodsAnswerJson() {
		assertError(send("GET", API + "no/such/route", null), 404, "ENDPOINT_NOT_FOUND").contains("no/such/route");
		assertError(post("runs/frobnicate", "{}"), 404, "ENDPOINT_NOT_FOUND");
		assertError(send("GET", "/ajax-api/2.0/mlflow/nothing-here", null), 404, "ENDPOINT_NOT_FOUND");
		assertError(send("GET", API + "runs/create", null), 405, "BAD_REQUEST").contains("GET");
		assertError(send("DELETE", API + "experiments/create", "{}"), 405, "BAD_REQUEST");
	}

	@Test
	void unknownEntitiesDoNotExistAndAMissingAliasIsInvalid() {
		String model = createModel();
		post("model-versions/create", "{\"name\": \"" + model + "\", \"source\": \"s3://b/m\"}");
		assertError(send("GET", API + "runs/get?run_id=nosuchrun", null), 404, "RESOURCE_DOES_NOT_EXIST")
			.contains("nosuchrun");
		assertError(post("runs/log-metric", metric("nosuchrun", "1", "1")), 404, "RESOURCE_DOES_NOT_EXIST");
		assertError(send("GET", API + "experiments/get?experiment_id=987654321", null), 404, "RESOURCE_DOES_NOT_EXIST")
			.contains("987654321");
		assertError(send("GET", API + "registered-models/get?name=nosuchmodel", null), 404, "RESOURCE_DOES_NOT_EXIST")
			.contains("nosuchmodel");
		assertError(send("GET", API + "model-versions/get?name=" + model + "&version=99", null), 404,
				"RESOURCE_DOES_NOT_EXIST")
			.contains("99");
		assertError(send("GET", API + "registered-models/alias?name=" + model + "&alias=nobody", null), 400, INVALID)
			.isEqualTo("Registered model alias nobody not found.");
		assertError(send("GET", API + "registered-models/alias?name=nosuchmodel&alias=nobody", null), 404,
				"RESOURCE_DOES_NOT_EXIST");
	}

	@Test
	void filtersOutsideTheSearchLanguageAreRefused() {
		for (String filter : List.of("metrics.acc >", "foo.bar = 1", "metrics.acc > 1 OR metrics.acc < 0",
				"params.lr = 'unclosed", "metrics.acc >> 1", "metrics.acc > 1 metrics.f1 > 1")) {
			assertError(post("runs/search", "{\"experiment_ids\": [\"0\"], \"filter\": \"" + filter + "\"}"), 400,
					INVALID)
				.as(filter);
		}
		assertError(send("GET", API + "experiments/search?filter=name%20%3D%20'a'%20OR%20name%20%3D%20'b'", null), 400,
				INVALID)
			.contains("OR");
		assertError(send("GET", API + "model-versions/search?filter=foo.bar%20%3D%201", null), 400, INVALID);
	}

	private HttpResponse<String> post(String route, String body) {
		return send("POST", API + route, body);
	}

	private String createModel() {
		String model = unique("model");
		assertThat(post("registered-models/create", "{\"name\": \"" + model + "\"}").statusCode()).isEqualTo(200);
		return model;
	}

	private static String metric(String runId, String value, String timestamp) {
		return "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": " + value + ", \"timestamp\": " + timestamp
				+ "}";
	}

	private static String metric(String runId, String key, String value, String timestamp) {
		return "{\"run_id\": \"" + runId + "\", \"key\": \"" + key + "\", \"value\": " + value + ", \"timestamp\": "
				+ timestamp + "}";
	}

	private static String keyValue(String runId, String key, int valueLength) {
		return "{\"run_id\": \"" + runId + "\", \"key\": \"" + key + "\", \"value\": \"" + "v".repeat(valueLength)
				+ "\"}";
	}

	private static String alias(String model, String alias) {
		return "{\"name\": \"" + model + "\", \"alias\": \"" + alias + "\", \"version\": \"1\"}";
	}

	private static String batch(String runId, int metrics, int params, int tags) {
		return "{\"run_id\": \"" + runId + "\", \"metrics\": ["
				+ IntStream.range(0, metrics)
					.mapToObj(i -> "{\"key\":\"m\",\"value\":" + i + ",\"timestamp\":1,\"step\":" + i + "}")
					.collect(Collectors.joining(","))
				+ "], \"params\": ["
				+ IntStream.range(0, params).mapToObj(i -> "{\"key\":\"p" + i + "\",\"value\":\"v\"}")
					.collect(Collectors.joining(","))
				+ "], \"tags\": [" + IntStream.range(0, tags).mapToObj(i -> "{\"key\":\"t" + i + "\",\"value\":\"v\"}")
					.collect(Collectors.joining(","))
				+ "]}";
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
