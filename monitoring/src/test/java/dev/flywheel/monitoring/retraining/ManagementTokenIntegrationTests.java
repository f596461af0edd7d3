package dev.flywheel.monitoring.retraining;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.monitoring.support.MonitoringServer;
import dev.flywheel.monitoring.system.RegistryProperties;
import dev.flywheel.monitoring.system.RouterProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With {@code flywheel.security.token} set, a retraining trigger needs the bearer token (401 with
 * {@code WWW-Authenticate} otherwise, no job launched); the jobs' reads stay open; the same token is sent to the
 * registry and the router by default. Monitoring bound beyond loopback starts only with a token.
 */
class ManagementTokenIntegrationTests {

	private static final String TOKEN = "m0nitoring-t0ken";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	static Path home;

	private static MonitoringServer monitoring;

	@BeforeAll
	static void start() {
		monitoring = MonitoringServer.start(properties(home.resolve("guarded"), Map.of("server.address", "0.0.0.0",
				"flywheel.security.token", TOKEN)));
	}

	@AfterAll
	static void stop() {
		if (monitoring != null) {
			monitoring.close();
		}
	}

	private static Map<String, String> properties(Path home, Map<String, String> more) {
		Map<String, String> properties = new HashMap<>();
		properties.put("flywheel.home", home.toString());
		// no registry: a launched job fails at once, which is all this test needs of it
		properties.put("flywheel.registry.url", "http://127.0.0.1:1");
		properties.put("flywheel.registry.timeout", "2s");
		properties.putAll(more);
		return properties;
	}

	@Test
	void aRetrainingTriggerNeedsTheTokenAndReadingJobsDoesNot() throws Exception {
		HttpResponse<String> missing = retrain(null);
		assertThat(missing.statusCode()).isEqualTo(401);
		assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				value -> assertThat(value).startsWith("Bearer"));
		assertThat(missing.body()).contains("Authorization: Bearer");
		HttpResponse<String> wrong = retrain("Bearer not-it");
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(wrong.body()).contains("not valid");
		assertThat(get("/api/v1/retraining/jobs?model=guarded").body()).as("no job was launched")
			.isEqualTo("{\"jobs\":[]}");

		HttpResponse<String> launched = retrain("Bearer " + TOKEN);
		assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
		String location = launched.headers().firstValue("Location").orElseThrow();
		assertThat(get(location).statusCode()).isEqualTo(200);
	}

	@Test
	void itsTokenIsTheOneItSendsToTheRegistryAndTheRouterUnlessTheyAreSetApart() {
		assertThat(monitoring.bean(RegistryProperties.class).token()).isEqualTo(TOKEN);
		assertThat(monitoring.bean(RouterProperties.class).token()).isEqualTo(TOKEN);
	}

	@Test
	void refusesToListenBeyondLoopbackWithoutAToken() {
		assertThatThrownBy(() -> MonitoringServer.start(properties(home.resolve("unguarded"),
				Map.of("server.address", "0.0.0.0"))))
			.hasStackTraceContaining("Refusing to listen on 0.0.0.0 without a token");
	}

	private static HttpResponse<String> retrain(String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(monitoring.baseUrl() + "/api/v1/models/guarded/retrain"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody());
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
