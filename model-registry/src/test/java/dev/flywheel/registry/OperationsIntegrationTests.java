package dev.flywheel.registry;

import org.junit.jupiter.api.Test;

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

}
