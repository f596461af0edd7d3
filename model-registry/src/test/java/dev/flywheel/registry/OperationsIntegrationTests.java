package dev.flywheel.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators scrape and probe: health with its probes, and Prometheus metrics. */
class OperationsIntegrationTests extends RegistryTestSupport {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Test
	void healthIsUpWithTheDatabaseAndProbes() {
		var health = send("GET", "/actuator/health", null);
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
		assertThat(send("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
	}

	@Test
	void answersTheTrackingServersHealthAndVersionLikeMlflow() {
		assertThat(send("GET", "/health", null).body()).isEqualTo("OK");
		assertThat(send("GET", "/version", null).body()).isEqualTo("2.17.2");
	}

	/**
	 * Regression: with Reactor Netty 1.3.6 a keep-alive connection alternating a database-backed request with one
	 * answered at once stopped being read now and then (reactor/reactor-netty#4361), and the next request hung until
	 * the client gave up. MLflow's clients keep connections alive.
	 */
	@Test
	void keepAliveConnectionsAnswerEveryRequest() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		int unanswered = 0;
		for (int i = 0; i < 400; i++) {
			String path = i % 2 == 0 ? "/api/2.0/mlflow/experiments/get?experiment_id=0" : "/actuator/health/liveness";
			HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
				.timeout(Duration.ofSeconds(2))
				.build();
			try {
				assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			}
			catch (HttpTimeoutException ex) {
				unanswered++;
			}
		}
		assertThat(unanswered).as("requests left unanswered on a kept-alive connection").isZero();
	}

	@Test
	void prometheusExposesRequestMetrics() {
		mlflow().getExperiment("0");
		var metrics = send("GET", "/actuator/prometheus", null);
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
			.startsWith("text/plain"));
		assertThat(metrics.body()).contains("http_server_requests_seconds_bucket")
			.contains("uri=\"/api/2.0/mlflow/experiments/get\"")
			.contains("application=\"model-registry\"");
	}

	/**
	 * The OpenAPI description and its UI, both open (GETs) whatever the write token: every MLflow area, the artifact
	 * proxy, the event stream and the bundle, with the fields MLflow's routes read and MLflow's error body.
	 */
	@Test
	void describesItsApisInOpenApiWithABrowsableUi() {
		var answer = send("GET", "/v3/api-docs", null);
		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode docs = JsonMapper.builder().build().readTree(answer.body());
		assertThat(docs.path("info").path("title").asString()).isEqualTo("Flywheel model registry");
		JsonNode paths = docs.path("paths");
		assertThat(paths.propertyNames()).contains("/api/2.0/mlflow/experiments/create",
				"/api/2.0/mlflow/experiments/search", "/api/2.0/mlflow/runs/create", "/api/2.0/mlflow/runs/log-batch",
				"/api/2.0/mlflow/runs/search", "/api/2.0/mlflow/metrics/get-history", "/api/2.0/mlflow/artifacts/list",
				"/api/2.0/mlflow/registered-models/create", "/api/2.0/mlflow/registered-models/alias",
				"/api/2.0/mlflow/registered-models/get-latest-versions", "/api/2.0/mlflow/model-versions/create",
				"/api/2.0/mlflow/model-versions/transition-stage", "/api/2.0/mlflow-artifacts/artifacts/{path}",
				"/api/2.0/flywheel/events", "/api/2.0/flywheel/models/{name}/versions/{version}/bundle");
		assertThat(paths.propertyNames()).as("the /ajax-api mirror is left out").noneMatch(p -> p.startsWith("/ajax"));
		JsonNode get = paths.path("/api/2.0/mlflow/registered-models/get").path("get");
		assertThat(get.path("summary").asString()).isNotBlank();
		assertThat(get.path("parameters").findValuesAsString("name")).containsExactly("name");
		assertThat(get.path("responses").path("404").path("content").path("application/json").path("schema")
			.path("$ref").asString()).endsWith("/MlflowError");
		JsonNode create = paths.path("/api/2.0/mlflow/model-versions/create").path("post");
		assertThat(create.path("parameters").isMissingNode() || create.path("parameters").isEmpty()).isTrue();
		assertThat(create.path("requestBody").path("content").path("application/json").path("schema")
			.path("required").valueStream().map(JsonNode::asString)).containsExactly("name", "source");

		var ui = send("GET", "/swagger-ui.html", null);
		assertThat(ui.statusCode()).isBetween(300, 399);
		var page = send("GET", URI.create("/").resolve(ui.headers().firstValue("Location").orElseThrow()).toString(),
				null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(page.body()).contains("swagger-ui");
	}

}
