package dev.flywheel.router.abtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.router.RouterApplication;
import dev.flywheel.router.support.TestRegistry;

import static dev.flywheel.router.abtest.AbTestRequests.API;
import static dev.flywheel.router.abtest.AbTestRequests.create;
import static dev.flywheel.router.abtest.AbTestRequests.createdId;
import static dev.flywheel.router.abtest.AbTestRequests.full;
import static dev.flywheel.router.abtest.AbTestRequests.json;
import static dev.flywheel.router.abtest.AbTestRequests.minimal;
import static dev.flywheel.router.abtest.AbTestRequests.patch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The A/B test API against a real registry, run on each database by a subclass: creating, reading, listing and
 * changing tests, one running test per model, and a clear 4xx naming the field for every kind of bad request.
 */
@SpringBootTest(classes = RouterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbTestApiContract {

	@LocalServerPort
	int port;

	WebTestClient client;

	String model;

	static void registry(DynamicPropertyRegistry registry) {
		registry.add("flywheel.registry.url", TestRegistry::url);
	}

	@BeforeEach
	void setUp() {
		client = AbTestRequests.client(port);
		model = TestRegistry.model("iris", 3);
	}

	@Test
	void createsAFullTestAndReadsItBack() {
		WebTestClient.ResponseSpec created = create(client, full(model)).expectStatus().isCreated();
		JsonNode test = json(created);
		String id = test.path("id").asString();
		created.expectHeader().location(API + "/" + id);
		assertThat(test.path("model").asString()).isEqualTo(model);
		assertThat(test.path("status").asString()).isEqualTo("running");
		assertThat(test.path("variants")).hasSize(3);
		assertThat(test.path("variants").get(0).path("alias").asString()).isEqualTo("champion");
		assertThat(test.path("variants").get(1).path("version").asString()).isEqualTo("2");
		assertThat(test.path("variants").get(2).path("version").asString()).as("a number is taken as a version")
			.isEqualTo("3");
		assertThat(test.path("variants").get(2).path("weight").asDouble()).isEqualTo(20.0);
		assertThat(test.path("shadows").get(0).path("name").asString()).isEqualTo("shadow");
		assertThat(test.path("shadows").get(0).has("weight")).isFalse();
		assertThat(test.path("reward").path("kind").asString()).isEqualTo("numeric");
		assertThat(test.path("alpha").asDouble()).isEqualTo(0.01);
		assertThat(test.path("min_samples").asLong()).isEqualTo(500);
		assertThat(test.path("max_samples").asLong()).isEqualTo(20000);
		assertThat(test.path("guardrails").path("max_error_rate_increase").asDouble()).isEqualTo(0.002);
		assertThat(test.path("guardrails").path("p99_latency_ms").asLong()).isEqualTo(250);
		assertThat(test.path("action").asString()).isEqualTo("promote");
		assertThat(test.path("allocation").asString()).isEqualTo("thompson");
		assertThat(test.path("uniform_share").asDouble()).isEqualTo(0.3);
		assertThat(test.path("salt").asString()).matches("[0-9a-f]{32}");
		assertThat(test.path("created_at").asString()).isEqualTo(test.path("updated_at").asString());

		JsonNode read = json(client.get().uri(API + "/{id}", id).exchange().expectStatus().isOk());
		assertThat(read).isEqualTo(test);
	}

	@Test
	void leavesUnsetSettingsAtTheDecisionPolicyDefaults() {
		JsonNode test = json(create(client, minimal(model)).expectStatus().isCreated());
		assertThat(test.path("alpha").asDouble()).isEqualTo(0.05);
		assertThat(test.path("min_samples").asLong()).isEqualTo(1000);
		assertThat(test.has("max_samples")).isFalse();
		assertThat(test.has("guardrails")).isFalse();
		assertThat(test.has("status_reason")).isFalse();
		assertThat(test.path("shadows")).isEmpty();
		assertThat(test.path("action").asString()).isEqualTo("report");
		assertThat(test.path("allocation").asString()).isEqualTo("fixed");
		assertThat(test.has("uniform_share")).isFalse();
	}

	@Test
	void listsTestsByModelAndStatus() {
		String first = createdId(client, minimal(model));
		patch(client, first, "{\"status\": \"stopped\"}").expectStatus().isOk();
		String second = createdId(client, minimal(model));
		String other = TestRegistry.model("other", 2);
		String third = createdId(client, minimal(other));

		assertThat(ids(client.get().uri(API + "?model={m}", model).exchange())).containsExactly(second, first);
		assertThat(ids(client.get().uri(API + "?model={m}&status=running", model).exchange())).containsExactly(second);
		assertThat(ids(client.get().uri(API + "?model={m}&status=stopped", model).exchange())).containsExactly(first);
		assertThat(ids(client.get().uri(API + "?status=running").exchange())).contains(second, third)
			.doesNotContain(first);
		assertThat(ids(client.get().uri(API).exchange())).contains(first, second, third);
		problem(client.get().uri(API + "?status=sleeping").exchange(), HttpStatus.BAD_REQUEST, "invalid-ab-test",
				"status");
	}

	@Test
	void changesWeightsKeepingTheSalt() {
		JsonNode created = json(create(client, minimal(model)).expectStatus().isCreated());
		String id = created.path("id").asString();
		JsonNode changed = json(patch(client, id, "{\"weights\": {\"control\": 50, \"challenger\": 50.5}}")
			.expectStatus()
			.isOk());
		assertThat(changed.path("variants").get(0).path("weight").asDouble()).isEqualTo(50.0);
		assertThat(changed.path("variants").get(1).path("weight").asDouble()).isEqualTo(50.5);
		assertThat(changed.path("salt").asString()).isEqualTo(created.path("salt").asString());
		assertThat(changed.path("status").asString()).isEqualTo("running");
		assertThat(json(client.get().uri(API + "/{id}", id).exchange().expectStatus().isOk())).isEqualTo(changed);
	}

	@Test
	void pausesResumesAndStopsAndThenRefusesChanges() {
		String id = createdId(client, minimal(model));
		JsonNode paused = json(patch(client, id, "{\"status\": \"paused\", \"reason\": \"holiday traffic\"}")
			.expectStatus()
			.isOk());
		assertThat(paused.path("status").asString()).isEqualTo("paused");
		assertThat(paused.path("status_reason").asString()).isEqualTo("holiday traffic");
		patch(client, id, "{\"weights\": {\"control\": 80, \"challenger\": 20}}").expectStatus().isOk();
		JsonNode resumed = json(patch(client, id, "{\"status\": \"running\"}").expectStatus().isOk());
		assertThat(resumed.path("status").asString()).isEqualTo("running");
		assertThat(resumed.has("status_reason")).isFalse();
		JsonNode stopped = json(patch(client, id, "{\"status\": \"stopped\", \"reason\": \"enough\"}").expectStatus()
			.isOk());
		assertThat(stopped.path("status").asString()).isEqualTo("stopped");

		problem(patch(client, id, "{\"weights\": {\"control\": 1, \"challenger\": 1}}"), HttpStatus.CONFLICT,
				"ab-test-conflict", null).contains("stopped");
		problem(patch(client, id, "{\"status\": \"running\"}"), HttpStatus.CONFLICT, "ab-test-conflict", null);
		assertThat(json(client.get().uri(API + "/{id}", id).exchange()).path("status").asString()).isEqualTo("stopped");
	}

	@Test
	void runsOneTestPerModelAtATime() {
		String first = createdId(client, minimal(model));
		problem(create(client, minimal(model)), HttpStatus.CONFLICT, "ab-test-conflict", null)
			.contains("already has a running A/B test (" + first + ")")
			.contains("only one test per model");
		patch(client, first, "{\"status\": \"paused\"}").expectStatus().isOk();
		String second = createdId(client, minimal(model));
		problem(patch(client, first, "{\"status\": \"running\"}"), HttpStatus.CONFLICT, "ab-test-conflict", null)
			.contains(second);
		assertThat(json(client.get().uri(API + "/{id}", first).exchange()).path("status").asString())
			.isEqualTo("paused");
	}

	@Test
	void letsOneOfManyConcurrentCreationsRun() {
		WebClient web = WebClient.create("http://127.0.0.1:" + port);
		List<Integer> statuses = Flux.range(0, 6)
			.flatMap(i -> web.post()
				.uri(API)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(minimal(model))
				.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).as(String.valueOf(statuses)).containsOnly(201, 409);
		assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
		assertThat(ids(client.get().uri(API + "?model={m}", model).exchange())).hasSize(1);
	}

	@Test
	void answersUnknownIdsWith404() {
		problem(client.get().uri(API + "/no-such-test").exchange(), HttpStatus.NOT_FOUND, "ab-test-not-found", null)
			.contains("no-such-test");
		problem(patch(client, "no-such-test", "{\"status\": \"paused\"}"), HttpStatus.NOT_FOUND, "ab-test-not-found",
				null);
	}

	@Test
	void refusesInvalidWeights() {
		for (String weight : List.of("0", "-1", "NaN", "Infinity", "\"ten\"", "null")) {
			String json = minimal(model).replace("\"weight\": 10", "\"weight\": " + weight);
			problem(create(client, json), HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants[1].weight").as(weight)
				.isNotEmpty();
		}
	}

	@Test
	void refusesFewerThanTwoVariantsAndDuplicateNames() {
		problem(create(client, """
				{"model": "%s", "variants": [{"name": "only", "alias": "champion", "weight": 1}],
				 "reward": {"kind": "label"}}""".formatted(model)), HttpStatus.BAD_REQUEST, "invalid-ab-test",
				"variants").contains("at least two variants");
		problem(create(client, minimal(model).replace("\"name\": \"challenger\"", "\"name\": \"control\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants").contains("two variants are named 'control'");
		problem(create(client, minimal(model).replace("\"reward\"",
				"\"shadows\": [{\"name\": \"control\", \"version\": 3}], \"reward\"")), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "shadows").contains("already used");
		problem(create(client, minimal(model).replace("\"name\": \"challenger\"", "\"name\": \"a b\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants[1].name");
	}

	@Test
	void refusesBothOrNeitherOfAliasAndVersion() {
		problem(create(client, minimal(model).replace("\"alias\": \"challenger\"",
				"\"alias\": \"challenger\", \"version\": 2")), HttpStatus.BAD_REQUEST, "invalid-ab-test",
				"variants[1].alias").contains("not both");
		problem(create(client, minimal(model).replace("\"alias\": \"challenger\", ", "")), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "variants[1].version").contains("either alias or version");
		problem(create(client, minimal(model).replace("\"alias\": \"challenger\"", "\"version\": \"two\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants[1].version");
	}

	@Test
	void refusesAlphaOutOfRangeAndOtherBadSettings() {
		for (String alpha : List.of("0", "0.5", "-0.1", "1", "\"small\"")) {
			problem(create(client, minimal(model).replace("\"reward\"", "\"alpha\": " + alpha + ", \"reward\"")),
					HttpStatus.BAD_REQUEST, "invalid-ab-test", "alpha").as(alpha).isNotEmpty();
		}
		problem(create(client, minimal(model).replace("\"reward\"", "\"min_samples\": 1, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "min_samples");
		problem(create(client, minimal(model).replace("\"reward\"", "\"min_samples\": 2.5, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "min_samples");
		problem(create(client, minimal(model).replace("\"reward\"", "\"max_samples\": 1500, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "max_samples").contains("2000");
		problem(create(client, minimal(model).replace("\"reward\"", "\"uniform_share\": 0.2, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "uniform_share");
		problem(create(client, minimal(model).replace("\"reward\"", "\"allocation\": \"roundrobin\", \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "allocation").contains("fixed").contains("thompson");
		problem(create(client, minimal(model).replace("\"label\"", "\"accuracy\"")), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "reward.kind");
		problem(create(client, minimal(model).replace("\"reward\"",
				"\"guardrails\": {\"p99_latency_ms\": 0, \"max_error_rate_increase\": 2}, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "guardrails.p99_latency_ms");
	}

	@Test
	void refusesUnknownFieldsMalformedJsonAndWrongTypes() {
		problem(create(client, minimal(model).replace("\"reward\"", "\"min_sample\": 100, \"reward\"")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "min_sample").contains("not a known field");
		problem(create(client, minimal(model).replace("\"weight\": 90", "\"weight\": 90, \"wieght\": 1")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants[0].wieght");
		problem(create(client, "{\"model\": "), HttpStatus.BAD_REQUEST, "invalid-ab-test", "$")
			.contains("malformed JSON");
		problem(create(client, "[1, 2]"), HttpStatus.BAD_REQUEST, "invalid-ab-test", "$").contains("JSON object");
		problem(client.post().uri(API).contentType(MediaType.APPLICATION_JSON).exchange(), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "$").contains("empty");
		problem(create(client, minimal(model).replace("\"" + model + "\"", "42")), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "model").contains("string");
		problem(create(client, "{\"model\": \"" + model + "\", \"variants\": {\"a\": 1}, \"reward\": {\"kind\": \"label\"}}"),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants").contains("array");
		problem(create(client, "{\"variants\": [1, 2]}"), HttpStatus.BAD_REQUEST, "invalid-ab-test", "model");
		assertThat(json(client.get().uri(API + "?model={m}", model).exchange()).path("ab_tests")).isEmpty();
	}

	@Test
	void refusesWhatTheRegistryDoesNotHaveWith422() {
		problem(create(client, minimal("no-such-model")), HttpStatus.UNPROCESSABLE_CONTENT, "unknown-model-reference",
				"model").contains("no-such-model");
		problem(create(client, minimal(model).replace("\"alias\": \"challenger\"", "\"version\": 9")),
				HttpStatus.UNPROCESSABLE_CONTENT, "unknown-model-reference", "variants[1].version").contains("9");
		problem(create(client, minimal(model).replace("\"alias\": \"champion\"", "\"alias\": \"gold\"")),
				HttpStatus.UNPROCESSABLE_CONTENT, "unknown-model-reference", "variants[0].alias").contains("gold");
		problem(create(client, minimal(model).replace("\"reward\"",
				"\"shadows\": [{\"name\": \"s\", \"alias\": \"bronze\"}], \"reward\"")),
				HttpStatus.UNPROCESSABLE_CONTENT, "unknown-model-reference", "shadows[0].alias");
		assertThat(json(client.get().uri(API + "?model={m}", model).exchange()).path("ab_tests")).isEmpty();
	}

	@Test
	void refusesBadChanges() {
		String id = createdId(client, minimal(model));
		problem(patch(client, id, "{\"weights\": {\"control\": 50}}"), HttpStatus.BAD_REQUEST, "invalid-ab-test",
				"weights").contains("every variant");
		problem(patch(client, id, "{\"weights\": {\"control\": 50, \"challenger\": 5, \"other\": 1}}"),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "weights");
		problem(patch(client, id, "{\"weights\": {\"control\": 0, \"challenger\": 5}}"), HttpStatus.BAD_REQUEST,
				"invalid-ab-test", "weights.control");
		problem(patch(client, id, "{\"status\": \"decided\"}"), HttpStatus.BAD_REQUEST, "invalid-ab-test", "status")
			.contains("router only");
		problem(patch(client, id, "{\"colour\": \"red\"}"), HttpStatus.BAD_REQUEST, "invalid-ab-test", "colour");
		problem(patch(client, id, "{}"), HttpStatus.BAD_REQUEST, "invalid-ab-test", "$").contains("nothing to change");
		problem(patch(client, id, "{\"status\": "), HttpStatus.BAD_REQUEST, "invalid-ab-test", "$");
		JsonNode unchanged = json(client.get().uri(API + "/{id}", id).exchange());
		assertThat(unchanged.path("variants").get(0).path("weight").asDouble()).isEqualTo(90.0);
		assertThat(unchanged.path("status").asString()).isEqualTo("running");
	}

	/**
	 * Asserts a problem answer of {@code status} and {@code type}, with an error for {@code field} when given;
	 * returns an assertion on the detail.
	 */
	static org.assertj.core.api.AbstractStringAssert<?> problem(WebTestClient.ResponseSpec response, HttpStatus status,
			String type, String field) {
		response.expectStatus().isEqualTo(status).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = json(response);
		assertThat(problem.path("type").asString()).isEqualTo(AbTestProblems.BASE + type);
		assertThat(problem.path("status").asInt()).isEqualTo(status.value());
		if (field != null) {
			List<String> fields = new ArrayList<>();
			problem.path("errors").forEach(error -> fields.add(error.path("field").asString()));
			assertThat(fields).as(problem.toString()).contains(field);
		}
		assertThat(problem.toString()).doesNotContain("Exception").doesNotContain("at dev.flywheel");
		return assertThat(problem.path("detail").asString());
	}

	private static List<String> ids(WebTestClient.ResponseSpec response) {
		List<String> ids = new ArrayList<>();
		json(response.expectStatus().isOk()).path("ab_tests").forEach(test -> ids.add(test.path("id").asString()));
		return ids;
	}

}
