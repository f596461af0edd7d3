package dev.flywheel.router.abtest;

import java.net.URI;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class AbTestApiH2IntegrationTests extends AbTestApiContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		registry(registry);
	}

	/**
	 * The OpenAPI description and its UI (here, in a class that boots the router anyway): the WebFlux APIs, and the
	 * prediction paths that only {@code PredictionPathsApiDocs} describes, with the unit-key header and the headers
	 * the router adds.
	 */
	@Test
	void describesItsApisInOpenApiWithABrowsableUi() {
		JsonNode docs = AbTestRequests.json(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk());
		assertThat(docs.path("info").path("title").asString()).isEqualTo("Flywheel A/B router");
		assertThat(docs.path("paths").propertyNames()).contains("/api/v1/ab-tests", "/api/v1/ab-tests/{id}",
				"/api/v1/ab-tests/{id}/results", "/api/v1/feedback", "/v2/models/{name}/infer",
				"/v2/models/{name}/versions/{version}/infer", "/v1/models/{name}:predict", "/invocations",
				"/v2/health/{probe}", "/v2/models/{name}");
		JsonNode infer = docs.path("paths").path("/v2/models/{name}/infer").path("post");
		assertThat(infer.path("parameters").findValuesAsString("name")).contains("name", "X-Flywheel-Unit");
		assertThat(infer.path("responses").path("200").path("headers").propertyNames()).contains("X-Flywheel-Variant",
				"X-Flywheel-AB-Test", "X-Flywheel-Unit");
		assertThat(docs.path("paths").path("/invocations").path("post").path("requestBody").path("content")
			.propertyNames()).contains("application/json", "text/csv");
		assertThat(docs.path("paths").path("/api/v1/ab-tests/{id}").path("get").path("responses").path("404")
			.path("content").propertyNames()).containsExactly("application/problem+json");
		assertThat(docs.path("components").path("schemas").path("Problem").path("properties").propertyNames())
			.contains("type", "title", "status", "detail", "errors");
		assertThat(docs.path("components").path("schemas").path("AbTestView").path("properties").propertyNames())
			.as("schemas are snake_case, as the API writes them").contains("min_samples", "status_reason");

		String ui = client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection()
			.returnResult(Void.class).getResponseHeaders().getLocation().toString();
		client.get().uri(URI.create("/").resolve(ui).toString()).exchange().expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui"));
	}

}
