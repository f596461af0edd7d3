package dev.flywheel.monitoring.ingest;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class IngestionApiH2IntegrationTests extends IngestionApiContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	/** The OpenAPI description and its UI (here, in a class that boots monitoring anyway). */
	@Test
	void describesItsApisInOpenApiWithABrowsableUi() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30)).build();
		JsonNode docs = JsonMapper.builder().build().readTree(client.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
		assertThat(docs.path("info").path("title").asString()).isEqualTo("Flywheel monitoring");
		assertThat(docs.path("paths").propertyNames()).contains("/api/v1/predictions", "/api/v1/predictions/{id}",
				"/api/v1/feedback", "/api/v1/models/{name}/drift", "/api/v1/models/{name}/quality",
				"/api/v1/models/{name}/report", "/api/v1/models/{name}/retrain", "/api/v1/retraining/jobs",
				"/api/v1/retraining/jobs/{id}");
		JsonNode log = docs.path("paths").path("/api/v1/predictions").path("post");
		assertThat(log.path("requestBody").path("content").propertyNames()).contains("application/json");
		assertThat(log.path("responses").path("400").path("content").propertyNames())
			.containsExactly("application/problem+json");
		assertThat(docs.path("paths").path("/api/v1/models/{name}/quality").path("get").path("parameters")
			.findValuesAsString("name")).contains("name", "version", "window");
		assertThat(docs.path("components").path("schemas").propertyNames()).contains("Problem", "Error");

		String ui = client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection()
			.returnResult(Void.class).getResponseHeaders().getLocation().toString();
		client.get().uri(URI.create("/").resolve(ui).toString()).exchange().expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui"));
	}

}
