package dev.flywheel.router;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.registry.support.TestDatabases;
import dev.flywheel.router.routing.RunningTests;
import dev.flywheel.router.routing.TrafficRecorder;
import dev.flywheel.router.support.RouterCalls;
import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterServer;
import dev.flywheel.router.support.SilentServer;
import dev.flywheel.router.support.TestRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router in front of an inference service that is not there: one router whose {@code flywheel.inference.url} is
 * a port where nothing listens, one in front of a server that accepts connections and never answers (with
 * {@code flywheel.inference.timeout=1s}); each on a fresh PostgreSQL database, with a running A/B test of a model
 * registered in the shared registry. For each of the three prediction protocols the client gets 503 with
 * {@code Retry-After} and a body in the protocol's error format (never a 500), and no unit counts as assigned; a
 * timeout counts as a failed request of the variant. A body over {@code flywheel.router.max-request-size} is answered
 * 413 in the protocol's format.
 */
class InferenceFaultsIntegrationTests {

	private static final String TESTS = "/api/v1/ab-tests";

	@TempDir
	static Path home;

	private static SilentServer silent;

	private static Fixture unreachable;

	private static Fixture hanging;

	/** A router with its model and the id of the model's running A/B test. */
	private record Fixture(RouterServer router, String model, String testId) {

		RouterCalls calls() {
			return router.calls();
		}

	}

	/** One prediction request of a protocol: its path for a model, and a small body that protocol takes. */
	private enum Call {

		OIP("/v2/models/%s/infer", """
				{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [%s]}]}"""),

		PLAIN("/v1/models/%s:predict", """
				{"instances": [{"x": %s}]}"""),

		SCORING("/invocations?model=%s", """
				{"dataframe_records": [{"x": %s}]}""");

		private final String path;

		private final String body;

		Call(String path, String body) {
			this.path = path;
			this.body = body;
		}

		String path(String model) {
			return path.formatted(model);
		}

		String body() {
			return body.formatted("1.5");
		}

		/** A body of more than {@code bytes} bytes: the one value padded with leading zeros. */
		String bodyOver(int bytes) {
			return body.formatted("0".repeat(bytes) + "1.5");
		}

	}

	@BeforeAll
	static void start() {
		silent = SilentServer.start();
		unreachable = fixture("unreachable", TestRegistry.unreachableUrl(),
				Map.of("flywheel.router.bench-endpoints", "true"));
		hanging = fixture("hanging", silent.url(), Map.of("flywheel.inference.timeout", "1s"));
	}

	@AfterAll
	static void stop() throws Exception {
		for (Fixture fixture : new Fixture[] { unreachable, hanging }) {
			if (fixture != null) {
				fixture.router().close();
			}
		}
		if (silent != null) {
			silent.close();
		}
	}

	@Test
	void anUnreachableInferenceServiceIsAnswered503InEachProtocolAndAssignsNoUnit() {
		for (Call call : Call.values()) {
			for (String unit : List.of("user-1", "user-2")) {
				Answer answer = unreachable.calls()
					.post(call.path(unreachable.model()), call.body(), Map.of("X-Flywheel-Unit", unit));
				assertUnavailable(call, answer, "cannot be reached");
			}
		}
		// a request that names a version, outside the test, and a read-only path: the same 503
		Answer pinned = unreachable.calls()
			.post("/v2/models/" + unreachable.model() + "/versions/1/infer", Call.OIP.body(), Map.of());
		assertUnavailable(Call.OIP, pinned, "cannot be reached");
		Answer ready = unreachable.calls().get("/v2/health/ready");
		assertThat(ready.status()).as(ready.text()).isEqualTo(503);
		assertThat(ready.body().path("error").asString()).contains("cannot be reached");

		// the benchmark's forwarding baselines, where enabled, fail the same way; elsewhere they do not exist
		for (String stack : List.of("netty", "webflux")) {
			String path = "/bench/forward/" + stack + "/v2/models/" + unreachable.model() + "/infer";
			Answer forwarded = unreachable.calls().post(path, Call.OIP.body(), Map.of());
			assertThat(forwarded.status()).as(forwarded.text()).isEqualTo(503);
			assertThat(forwarded.body().path("error").asString()).contains("cannot be reached");
			assertThat(hanging.calls()
				.post("/bench/forward/" + stack + "/v2/models/" + hanging.model() + "/infer", Call.OIP.body(),
						Map.of())
				.status()).isEqualTo(404);
		}

		// whatever was counted is written at the next flush; write it now, then read what all replicas stored
		unreachable.router().bean(TrafficRecorder.class).flush().block(Duration.ofSeconds(10));
		JsonNode variants = variants(unreachable);
		assertThat(variants).hasSize(2);
		for (JsonNode variant : variants) {
			assertThat(variant.path("assignments").asLong()).as(variant.toString()).isZero();
			// the variant's version never had the request: an unreachable service is no failure of the variant
			assertThat(variant.path("requests").asLong()).as(variant.toString()).isZero();
			assertThat(variant.path("errors").asLong()).as(variant.toString()).isZero();
		}
		assertThat(unreachable.calls().get(TESTS + "/" + unreachable.testId()).body().path("status").asString())
			.isEqualTo("running");
	}

	@Test
	void anInferenceServiceThatNeverAnswersIsAnswered503AfterTheTimeoutAndCountsAFailureButNoAssignment() {
		for (Call call : Call.values()) {
			long started = System.nanoTime();
			Answer answer = hanging.calls()
				.post(call.path(hanging.model()), call.body(), Map.of("X-Flywheel-Unit", "user-1"));
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertUnavailable(call, answer, "did not answer within");
			assertThat(took).as(call + ": answered after the 1 s timeout")
				.isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
		}
		// the one unit's variant counts three failed requests, and no unit assigned
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode variants = variants(hanging);
			long requests = 0;
			long errors = 0;
			for (JsonNode variant : variants) {
				requests += variant.path("requests").asLong();
				errors += variant.path("errors").asLong();
			}
			assertThat(requests).as(variants.toString()).isEqualTo(3);
			assertThat(errors).as(variants.toString()).isEqualTo(3);
		});
		for (JsonNode variant : variants(hanging)) {
			assertThat(variant.path("assignments").asLong()).as(variant.toString()).isZero();
			assertThat(variant.path("requests").asLong()).as(variant.toString()).isIn(0L, 3L);
		}
	}

	@Test
	void aBodyOverTheLimitIsAnswered413InEachProtocol() {
		for (Call call : Call.values()) {
			String body = call.bodyOver(2048);
			assertThat(body.length()).isGreaterThan(2048);
			Answer answer = unreachable.calls()
				.post(call.path(unreachable.model()), body, Map.of("X-Flywheel-Unit", "user-3"));
			assertThat(answer.status()).as(call + ": " + answer.text()).isEqualTo(413);
			// without a Content-Length, the body is refused as it arrives
			Answer chunked = unreachable.calls()
				.postChunked(call.path(unreachable.model()), body, Map.of("X-Flywheel-Unit", "user-3"));
			assertThat(chunked.status()).as(call + " (chunked): " + chunked.text()).isEqualTo(413);
			assertThat(chunked.text()).as(call + " (chunked)").contains("1024 bytes");
			assertThat(answer.body()).as(call + ": " + answer.text()).isNotNull();
			String message;
			if (call == Call.SCORING) {
				// MLflow's format: a client's mistake, as the inference service itself names a body over its limit
				assertThat(answer.body().path("error_code").asString()).as(answer.text()).isEqualTo("BAD_REQUEST");
				message = answer.body().path("message").asString();
			}
			else {
				message = answer.body().path("error").asString();
			}
			assertThat(message).as(call + ": " + answer.text()).contains("1024 bytes", "max-request-size");
		}
		unreachable.router().bean(TrafficRecorder.class).flush().block(Duration.ofSeconds(10));
		for (JsonNode variant : variants(unreachable)) {
			assertThat(variant.path("assignments").asLong()).as(variant.toString()).isZero();
		}
	}

	private static void assertUnavailable(Call call, Answer answer, String cause) {
		assertThat(answer.status()).as(call + ": " + answer.text()).isEqualTo(503);
		assertThat(answer.retryAfter()).as(call + ": Retry-After").isNotNull();
		assertThat(Integer.parseInt(answer.retryAfter())).as(call + ": Retry-After").isPositive();
		assertThat(answer.body()).as(call + ": " + answer.text()).isNotNull();
		String message;
		if (call == Call.SCORING) {
			assertThat(answer.body().path("error_code").asString()).as(answer.text())
				.isEqualTo("TEMPORARILY_UNAVAILABLE");
			message = answer.body().path("message").asString();
		}
		else {
			assertThat(answer.body().has("error")).as(answer.text()).isTrue();
			message = answer.body().path("error").asString();
		}
		assertThat(message).as(call + ": " + answer.text()).contains("inference service", cause, "try again later");
	}

	/** The variants of the fixture's test, as {@code /results} reads their stored counts. */
	private static JsonNode variants(Fixture fixture) {
		Answer results = fixture.calls().get(TESTS + "/" + fixture.testId() + "/results");
		assertThat(results.status()).as(results.text()).isEqualTo(200);
		return results.body().path("look").path("variants");
	}

	private static Fixture fixture(String name, String inferenceUrl, Map<String, String> more) {
		String model = TestRegistry.model("faults", 2);
		Map<String, String> properties = new HashMap<>(RouterServer.FAST);
		properties.put("flywheel.home", home.resolve(name).toString());
		properties.put("spring.r2dbc.url", TestDatabases.r2dbcUrl(TestDatabases.createPostgresDatabase()));
		properties.put("flywheel.registry.url", TestRegistry.url());
		properties.put("flywheel.inference.url", inferenceUrl);
		properties.put("flywheel.inference.models", model);
		properties.put("flywheel.monitoring.enabled", "false");
		properties.put("flywheel.router.max-request-size", "1KB");
		properties.putAll(more);
		RouterServer router = RouterServer.start(properties);
		Answer created = router.calls().post(TESTS, """
				{"model": "%s",
				 "variants": [{"name": "control", "alias": "champion", "weight": 1}, {"name": "candidate", "alias": "challenger", "weight": 1}],
				 "reward": {"kind": "label"}, "min_samples": 1000000, "action": "report"}""".formatted(model), Map.of());
		if (created.status() != 201) {
			router.close();
			throw new IllegalStateException("Creating the A/B test failed: " + created.status() + " " + created.text());
		}
		// the router reads the running tests again after a change, asynchronously: read them here to be sure
		router.bean(RunningTests.class).refresh().block(Duration.ofSeconds(10));
		return new Fixture(router, model, created.body().path("id").asString());
	}

}
