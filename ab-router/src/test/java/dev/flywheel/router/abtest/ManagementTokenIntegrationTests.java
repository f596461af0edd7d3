package dev.flywheel.router.abtest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.router.support.RouterCalls;
import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterServer;
import dev.flywheel.router.support.TestRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With {@code flywheel.security.token} set, creating and changing A/B tests need the bearer token (401 with
 * {@code WWW-Authenticate} otherwise, nothing changed); reads, predictions and feedback stay open. A router bound
 * beyond loopback starts only with a token.
 */
class ManagementTokenIntegrationTests {

	private static final String TOKEN = "r0uter-t0ken";

	private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

	@TempDir
	static Path home;

	private static RouterServer router;

	private static RouterCalls calls;

	private static String model;

	@BeforeAll
	static void start() {
		router = RouterServer.start(properties(home.resolve("guarded"), Map.of("server.address", "0.0.0.0",
				"flywheel.security.token", TOKEN)));
		calls = router.calls();
		model = TestRegistry.model("guarded", 2);
	}

	@AfterAll
	static void stop() {
		if (router != null) {
			router.close();
		}
	}

	private static Map<String, String> properties(Path home, Map<String, String> more) {
		Map<String, String> properties = new HashMap<>(RouterServer.FAST);
		properties.put("flywheel.home", home.toString());
		properties.put("flywheel.registry.url", TestRegistry.url());
		properties.putAll(more);
		return properties;
	}

	private String definition() {
		return """
				{"model": "%s",
				 "variants": [{"name": "one", "version": "1", "weight": 1}, {"name": "two", "version": "2", "weight": 1}],
				 "reward": {"kind": "label"}}""".formatted(model);
	}

	@Test
	void creatingAndChangingATestNeedTheTokenAndReadsDoNot() {
		Answer missing = calls.post("/api/v1/ab-tests", definition(), Map.of());
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.wwwAuthenticate()).startsWith("Bearer");
		assertThat(missing.body().path("type").asString()).endsWith("/unauthenticated");
		assertThat(missing.body().path("detail").asString()).contains("Authorization: Bearer");
		Answer wrong = calls.post("/api/v1/ab-tests", definition(), Map.of("Authorization", "Bearer not-it"));
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body().path("detail").asString()).contains("not valid");
		assertThat(calls.post("/api/v1/ab-tests", "{not json", Map.of()).status())
			.as("the token is checked before the body is read").isEqualTo(401);
		assertThat(calls.get("/api/v1/ab-tests?model=" + model).body().path("ab_tests")).as("nothing was created")
			.isEmpty();

		Answer created = calls.post("/api/v1/ab-tests", definition(), AUTHORIZED);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.body().path("id").asString();
		assertThat(calls.get("/api/v1/ab-tests/" + id).status()).isEqualTo(200);
		assertThat(calls.get("/api/v1/ab-tests/" + id + "/results").status()).isEqualTo(200);

		Answer unchanged = calls.patch("/api/v1/ab-tests/" + id, "{\"status\": \"paused\"}");
		assertThat(unchanged.status()).isEqualTo(401);
		assertThat(calls.get("/api/v1/ab-tests/" + id).body().path("status").asString()).isEqualTo("running");
		Answer paused = calls.patch("/api/v1/ab-tests/" + id, "{\"status\": \"paused\"}", AUTHORIZED);
		assertThat(paused.status()).as(paused.text()).isEqualTo(200);
		assertThat(paused.body().path("status").asString()).isEqualTo("paused");
	}

	@Test
	void feedbackIsNotAManagementCall() {
		Answer feedback = calls.feedback("{\"prediction_id\": \"never-made\", \"label\": \"3\"}");
		assertThat(feedback.status()).isEqualTo(404);
		assertThat(feedback.body().path("unknown").get(0).asString()).isEqualTo("never-made");
	}

	@Test
	void refusesToListenBeyondLoopbackWithoutAToken() {
		assertThatThrownBy(() -> RouterServer.start(properties(home.resolve("unguarded"),
				Map.of("server.address", "0.0.0.0"))))
			.hasStackTraceContaining("Refusing to listen on 0.0.0.0 without a token");
	}

}
