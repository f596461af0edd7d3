package dev.flywheel.router;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.router.support.DigitsRows;
import dev.flywheel.router.support.DigitsStack;
import dev.flywheel.router.support.MonitoringStub;
import dev.flywheel.router.support.RouterCalls;
import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterCalls.Routed;
import dev.flywheel.router.support.RouterServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router with real services behind it: a registry, two versions of {@code digits} trained by the pipeline (version
 * 1 weak, {@code champion}; version 2 strong, {@code challenger}) and the inference service serving them
 * ({@link DigitsStack#shared()}: the stickiness test uses it too, and moves no alias). The tests run in order on it,
 * each ending its A/B test (one runs per model at a time; a test a failed one left running is stopped after it):
 * <ol>
 * <li>routing and feedback as a client sees them, and a restart of the router that loses nothing;</li>
 * <li>a variant whose version the inference service does not serve pauses its test;</li>
 * <li>the loop: traffic with delayed labelled feedback, the router promotes the strong version, and the inference
 * service then serves it as champion;</li>
 * <li>with the registry down at decision time, the decision is kept and its action runs once the registry is back.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterEndToEndIntegrationTests {

	private static final String MODEL = "digits";

	private static final String TESTS = "/api/v1/ab-tests";

	@TempDir
	static Path home;

	private static DigitsStack stack;

	private static MonitoringStub monitoring;

	private static RouterServer router;

	private static RouterCalls calls;

	private static final List<DigitsRows.Row> ROWS = DigitsRows.shuffled(7);

	@BeforeAll
	static void start() throws Exception {
		stack = DigitsStack.shared();
		monitoring = MonitoringStub.start();
		startRouter();
	}

	private static void startRouter() {
		Map<String, String> properties = new HashMap<>(RouterServer.FAST);
		properties.put("flywheel.home", home.resolve("router").toString());
		properties.put("flywheel.registry.url", stack.registryUrl());
		properties.put("flywheel.inference.url", stack.inference().baseUrl());
		properties.put("flywheel.inference.models", MODEL);
		properties.put("flywheel.monitoring.url", monitoring.url());
		router = RouterServer.start(properties);
		calls = router.calls();
	}

	/**
	 * Stops the router (a graceful stop writes what it counted), shuts its embedded database down so that the next
	 * start reads the files as a new process would, and starts it again on the same home.
	 */
	private static void restartRouter() throws Exception {
		router.close();
		try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:h2:file:"
				+ home.resolve("router/router/router") + ";DB_CLOSE_DELAY=-1", "", "");
				java.sql.Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
		startRouter();
	}

	@AfterAll
	static void stop() throws Exception {
		if (router != null) {
			router.close();
		}
		if (monitoring != null) {
			monitoring.close();
		}
	}

	/** Stops the test a failed test left running or paused, so that the next one can start its own. */
	@AfterEach
	void stopWhatIsLeft() {
		for (String status : List.of("running", "paused")) {
			calls.get(TESTS + "?model=" + MODEL + "&status=" + status).body().path("ab_tests")
				.forEach(test -> calls.patch(TESTS + "/" + test.path("id").asString(), "{\"status\": \"stopped\"}"));
		}
	}

	@Test
	@Order(1)
	void routesEachUnitToItsVariantAndTakesItsFeedback() throws Exception {
		String id = create("""
				{"model": "digits",
				 "variants": [{"name": "weak", "version": "1", "weight": 1}, {"name": "strong", "alias": "challenger", "weight": 1}],
				 "shadows": [{"name": "mirror", "alias": "champion"}],
				 "reward": {"kind": "label"}, "min_samples": 1000000, "action": "report"}""");

		// the same unit always gets the same variant, answered by that variant's version
		List<Routed> routed = new ArrayList<>();
		List<DigitsRows.Row> labelled = new ArrayList<>();
		Map<String, String> variantOfUnit = new LinkedHashMap<>();
		for (int unit = 0; unit < 40; unit++) {
			for (int repeat = 0; repeat < 2; repeat++) {
				DigitsRows.Row row = ROWS.get(routed.size());
				Routed answer = calls.predict(MODEL, "user-" + unit, row);
				assertThat(answer.testId()).isEqualTo(id);
				assertThat(answer.version()).isEqualTo(answer.variant().equals("weak") ? "1" : "2");
				String first = variantOfUnit.putIfAbsent("user-" + unit, answer.variant());
				assertThat(answer.variant()).isEqualTo(first == null ? answer.variant() : first);
				routed.add(answer);
				labelled.add(row);
			}
		}
		assertThat(variantOfUnit.values()).contains("weak", "strong");

		// OIP: the unit as a request parameter gets the variant the header gave it; the answer names it
		Answer oip = calls.post("/v2/models/digits/infer",
				RouterCalls.oipBody(List.of(ROWS.get(100)), Map.of("unit", "user-0")), Map.of());
		assertThat(oip.status()).isEqualTo(200);
		assertThat(oip.variantHeader()).isEqualTo(variantOfUnit.get("user-0"));
		assertThat(oip.body().path("parameters").path("variant").asString()).isEqualTo(variantOfUnit.get("user-0"));
		assertThat(oip.body().path("parameters").path("ab_test_id").asString()).isEqualTo(id);
		assertThat(oip.body().path("model_version").asString())
			.isEqualTo(variantOfUnit.get("user-0").equals("weak") ? "1" : "2");

		// MLflow scoring without ?model= (the router serves one model): the variant is a field of the answer
		Answer scoring = calls.post("/invocations", RouterCalls.JSON.writeValueAsString(
				Map.of("dataframe_records", List.of(ROWS.get(101).features()))), Map.of("X-Flywheel-Unit", "user-1"));
		assertThat(scoring.status()).as(scoring.text()).isEqualTo(200);
		assertThat(scoring.body().path("variant").asString()).isEqualTo(variantOfUnit.get("user-1"));
		assertThat(scoring.body().path("predictions").size()).isEqualTo(1);

		// a request that names a version is not part of the test
		Answer pinned = calls.post("/v2/models/digits/versions/2/infer",
				RouterCalls.oipBody(List.of(ROWS.get(102)), Map.of()), Map.of());
		assertThat(pinned.status()).isEqualTo(200);
		assertThat(pinned.variantHeader()).isNull();
		assertThat(pinned.body().path("model_version").asString()).isEqualTo("2");

		// the inference service's read-only paths answer through the router
		assertThat(calls.get("/v2/health/ready").status()).isEqualTo(200);
		assertThat(calls.get("/v2/models/digits").body().path("name").asString()).isEqualTo(MODEL);

		// a unit key too long is the client's mistake, named
		Answer tooLong = calls.post("/v2/models/digits/infer", RouterCalls.oipBody(List.of(ROWS.get(0)), Map.of()),
				Map.of("X-Flywheel-Unit", "u".repeat(300)));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.body().path("error").asString()).contains("X-Flywheel-Unit", "256");

		// feedback: the true labels of all 80, then the same again (idempotent), then a different label (conflict)
		StringBuilder all = new StringBuilder("[");
		for (int i = 0; i < routed.size(); i++) {
			all.append(i == 0 ? "" : ",").append(feedback(routed.get(i).predictionId(), labelled.get(i).label()));
		}
		Answer accepted = calls.feedback(all.append("]").toString());
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
		assertThat(accepted.body().path("accepted").asInt()).isEqualTo(80);
		Answer again = calls.feedback(feedback(routed.get(0).predictionId(), labelled.get(0).label()));
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().path("already_recorded").asInt()).isEqualTo(1);
		assertThat(again.body().path("accepted").asInt()).isZero();
		String otherLabel = labelled.get(0).label().equals("3") ? "4" : "3";
		Answer conflicting = calls.feedback(feedback(routed.get(0).predictionId(), otherLabel));
		assertThat(conflicting.status()).isEqualTo(409);
		assertThat(conflicting.body().path("conflicting").get(0).asString()).isEqualTo(routed.get(0).predictionId());

		// unknown ids are reported, alone (404) or beside accepted feedback (200)
		Answer unknown = calls.feedback("{\"prediction_id\": \"no-such-prediction\", \"label\": \"3\"}");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().path("unknown").get(0).asString()).isEqualTo("no-such-prediction");
		Routed oneMore = calls.predict(MODEL, "user-0", ROWS.get(103));
		Answer mixed = calls.feedback("[" + feedback(oneMore.predictionId(), ROWS.get(103).label())
				+ ", {\"prediction_id\": \"gone\", \"label\": 1}]");
		assertThat(mixed.status()).isEqualTo(200);
		assertThat(mixed.body().path("accepted").asInt()).isEqualTo(1);
		assertThat(mixed.body().path("unknown").get(0).asString()).isEqualTo("gone");

		// the wrong kind or type of feedback is refused whole, naming the field
		Answer reward = calls.feedback("{\"prediction_id\": \"" + routed.get(1).predictionId() + "\", \"reward\": 1}");
		assertThat(reward.status()).isEqualTo(400);
		assertThat(reward.text()).contains("judged by label");
		Answer object = calls.feedback("{\"prediction_id\": \"x\", \"label\": {\"digit\": 3}}");
		assertThat(object.status()).isEqualTo(400);
		assertThat(object.body().path("errors").get(0).path("field").asString()).isEqualTo("label");
		Answer noId = calls.feedback("[{\"label\": \"3\"}]");
		assertThat(noId.status()).isEqualTo(400);
		assertThat(noId.body().path("errors").get(0).path("field").asString()).isEqualTo("[0].prediction_id");

		// the stored counts: every routed request assigned once, every accepted label a reward, the shadow compared
		int routedInTest = routed.size() + 3;
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode look = calls.get(TESTS + "/" + id + "/results").body().path("look");
			long assignments = 0;
			long rewards = 0;
			for (JsonNode variant : look.path("variants")) {
				assignments += variant.path("assignments").asLong();
				rewards += variant.path("rewards").asLong();
			}
			assertThat(assignments).isEqualTo(routedInTest);
			assertThat(rewards).isEqualTo(81);
			assertThat(look.path("shadows").get(0).path("compared_rows").asLong()).isEqualTo(routedInTest);
		});
		JsonNode look = calls.get(TESTS + "/" + id + "/results").body().path("look");
		double weak = look.path("variants").get(0).path("reward_mean").asDouble();
		double strong = look.path("variants").get(1).path("reward_mean").asDouble();
		assertThat(strong).isGreaterThan(weak);
		assertThat(look.path("comparisons").get(0).path("estimate").asDouble()).isEqualTo(strong - weak,
				org.assertj.core.api.Assertions.within(1e-9));
		double agreement = look.path("shadows").get(0).path("agreement").asDouble();
		assertThat(agreement).isBetween(0.3, 1.0);

		// accepted feedback reaches monitoring with its variant
		await().atMost(Duration.ofSeconds(10)).until(() -> monitoring.feedback().size() == 81);
		assertThat(monitoring.feedback()).allSatisfy(event -> {
			assertThat(event.path("ab_test_id").asString()).isEqualTo(id);
			assertThat(event.path("variant").asString()).isIn("weak", "strong");
			assertThat(event.path("reward").asDouble()).isIn(0.0, 1.0);
		});

		// metrics per test and variant
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(calls.get("/actuator/prometheus").text())
			.contains("flywheel_router_assignments_total{ab_test=\"" + id + "\",model=\"digits\",variant=\"weak\"}")
			.contains("flywheel_router_reward_mean{ab_test=\"" + id + "\",model=\"digits\",variant=\"strong\"}")
			.contains("flywheel_router_srm_p_value{ab_test=\"" + id + "\",model=\"digits\"}")
			.contains("flywheel_router_shadow_agreement{ab_test=\"" + id + "\",model=\"digits\",variant=\"mirror\"}"));

		// a restart loses nothing: the same counts are read back and every unit keeps its variant
		JsonNode before = calls.get(TESTS + "/" + id + "/results").body().path("look").path("variants");
		restartRouter();
		assertThat(calls.get(TESTS + "/" + id + "/results").body().path("look").path("variants")).isEqualTo(before);
		for (int unit = 0; unit < 40; unit++) {
			assertThat(calls.predict(MODEL, "user-" + unit, ROWS.get(unit)).variant())
				.isEqualTo(variantOfUnit.get("user-" + unit));
		}

		// stopped, the test routes nothing more: the champion answers
		assertThat(calls.patch(TESTS + "/" + id, "{\"status\": \"stopped\"}").status()).isEqualTo(200);
		Routed after = calls.predict(MODEL, "user-0", ROWS.get(0));
		assertThat(after.variant()).isNull();
		assertThat(after.version()).isEqualTo("1");
	}

	@Test
	@Order(2)
	void aVariantWhoseVersionIsNotServedPausesItsTestAndTheChampionAnswers() throws Exception {
		registryPost("model-versions/create",
				"{\"name\": \"digits\", \"source\": \"mlflow-artifacts:/0/none/artifacts/model\"}");
		String id = create("""
				{"model": "digits",
				 "variants": [{"name": "control", "alias": "champion", "weight": 1}, {"name": "ghost", "version": "3", "weight": 1}],
				 "reward": {"kind": "label"}}""");
		for (int unit = 0; unit < 20; unit++) {
			Routed answer = calls.predict(MODEL, "ghost-" + unit, ROWS.get(unit));
			assertThat(answer.version()).isEqualTo("1");
		}
		JsonNode test = calls.get(TESTS + "/" + id).body();
		assertThat(test.path("status").asString()).isEqualTo("paused");
		assertThat(test.path("status_reason").asString()).contains("ghost", "v3", "not served");
		assertThat(calls.patch(TESTS + "/" + id, "{\"status\": \"stopped\"}").status()).isEqualTo(200);
	}

	@Test
	@Order(3)
	void promotesTheStrongVersionOnDelayedFeedbackAndTheInferenceServiceServesItAsChampion() throws Exception {
		String id = create("""
				{"model": "digits",
				 "variants": [{"name": "control", "alias": "champion", "weight": 1}, {"name": "candidate", "alias": "challenger", "weight": 1}],
				 "reward": {"kind": "label"}, "min_samples": 100, "action": "promote"}""");
		String status = driveUntilEnded(id, "promote");
		assertThat(status).isEqualTo("decided");

		JsonNode decision = awaitActionDone(id);
		assertThat(decision.path("outcome").asString()).isEqualTo("winner");
		assertThat(decision.path("winner").asString()).isEqualTo("candidate");
		assertThat(decision.path("evidence").path("comparisons").get(0).path("lower").asDouble()).isPositive();

		RegistryClient registry = new RegistryClient(URI.create(stack.registryUrl()), null, Duration.ofSeconds(10));
		assertThat(registry.find(MODEL, "champion").orElseThrow().version()).isEqualTo("2");
		assertThat(registry.find(MODEL, "2").orElseThrow().tags()).containsEntry("flywheel.ab_test." + id + ".result",
				"winner");
		assertThat(registry.find(MODEL, "1").orElseThrow().tags()).containsEntry("flywheel.ab_test." + id + ".result",
				"control");
		assertThat(registry.find(MODEL, "2").orElseThrow().tags().get("flywheel.ab_test." + id + ".evidence"))
			.contains("\"comparison\"", "\"p_value\"");

		// the inference service follows the alias: its champion is now version 2, directly and through the router
		await().atMost(Duration.ofSeconds(60))
			.until(() -> stack.inferenceClient().predict(MODEL, null, List.of(ROWS.get(0))).version().equals("2"));
		assertThat(calls.predict(MODEL, "user-0", ROWS.get(0)).version()).isEqualTo("2");
	}

	@Test
	@Order(4)
	void keepsTheDecisionWhileTheRegistryIsDownAndRunsItsActionOnceItIsBack() throws Exception {
		RegistryClient registry = new RegistryClient(URI.create(stack.registryUrl()), null, Duration.ofSeconds(10));
		registry.setAlias(MODEL, "challenger", "1");
		await().atMost(Duration.ofSeconds(60))
			.until(() -> stack.inferenceClient().predict(MODEL, "challenger", List.of(ROWS.get(0))).version().equals("1"));
		String id = create("""
				{"model": "digits",
				 "variants": [{"name": "control", "alias": "champion", "weight": 1}, {"name": "retrained", "alias": "challenger", "weight": 1}],
				 "reward": {"kind": "label"}, "min_samples": 100, "action": "rollback"}""");
		stack.registry().kill();
		try {
			assertThat(driveUntilEnded(id, "rollback")).isEqualTo("decided");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				JsonNode decision = calls.get(TESTS + "/" + id + "/results").body().path("decision");
				assertThat(decision.path("outcome").asString()).isEqualTo("no_better");
				assertThat(decision.path("action_state").asString()).isEqualTo("pending");
				assertThat(decision.path("action_attempts").asInt()).isGreaterThanOrEqualTo(2);
				assertThat(decision.path("action_error").asString()).isNotEmpty();
			});
		}
		finally {
			stack.registry().restart();
		}
		JsonNode decision = awaitActionDone(id);
		assertThat(decision.path("evidence").path("losers").get(0).asString()).isEqualTo("retrained");
		assertThat(registry.find(MODEL, "challenger")).isEmpty();
		assertThat(registry.find(MODEL, "1").orElseThrow().tags()).containsEntry("flywheel.ab_test." + id + ".result",
				"loser");
	}

	/**
	 * Sends each unit's request and, 30 predictions later, its true label (feedback arrives late, as it does), until
	 * the test has ended; answers its final status.
	 */
	private static String driveUntilEnded(String id, String unitPrefix) {
		Deque<Routed> waiting = new ArrayDeque<>();
		Map<String, String> truth = new HashMap<>();
		for (int request = 0; request < 4000; request++) {
			DigitsRows.Row row = ROWS.get(request % ROWS.size());
			Routed answer = calls.predict(MODEL, unitPrefix + "-" + request, row);
			if (answer.variant() == null) {
				break;
			}
			waiting.add(answer);
			truth.put(answer.predictionId(), row.label());
			if (waiting.size() >= 50) {
				StringBuilder batch = new StringBuilder("[");
				for (int i = 0; i < 20; i++) {
					Routed labelled = waiting.poll();
					batch.append(i == 0 ? "" : ",").append(feedback(labelled.predictionId(), truth.get(labelled.predictionId())));
				}
				Answer accepted = calls.feedback(batch.append("]").toString());
				assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
			}
			if (request % 25 == 0 && !calls.get(TESTS + "/" + id).body().path("status").asString().equals("running")) {
				break;
			}
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !calls.get(TESTS + "/" + id).body().path("status").asString().equals("running"));
		return calls.get(TESTS + "/" + id).body().path("status").asString();
	}

	private static JsonNode awaitActionDone(String id) {
		await().atMost(Duration.ofSeconds(60)).until(() -> calls.get(TESTS + "/" + id + "/results").body()
			.path("decision").path("action_state").asString().equals("done"));
		return calls.get(TESTS + "/" + id + "/results").body().path("decision");
	}

	private static String create(String json) {
		Answer created = calls.post(TESTS, json, Map.of());
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return created.body().path("id").asString();
	}

	private static String feedback(String predictionId, String label) {
		return "{\"prediction_id\": \"" + predictionId + "\", \"label\": \"" + label + "\"}";
	}

	private static void registryPost(String path, String json) throws Exception {
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/api/2.0/mlflow/" + path))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

}
