package dev.flywheel.router.abtest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Requests to the A/B test API of a router on a port, as a client sends them. */
final class AbTestRequests {

	static final String API = "/api/v1/ab-tests";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private AbTestRequests() {
	}

	static WebTestClient client(int port) {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	static WebTestClient.ResponseSpec create(WebTestClient client, String json) {
		return client.post().uri(API).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
	}

	static WebTestClient.ResponseSpec patch(WebTestClient client, String id, String json) {
		return client.patch().uri(API + "/{id}", id).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
	}

	/** Two variants on the model's aliases, 90/10, every other setting left to its default. */
	static String minimal(String model) {
		return """
				{"model": "%s",
				 "variants": [{"name": "control", "alias": "champion", "weight": 90},
				              {"name": "challenger", "alias": "challenger", "weight": 10}],
				 "reward": {"kind": "label"}}""".formatted(model);
	}

	/** Every setting given: a version-pinned variant, a shadow, guardrails, Thompson sampling. */
	static String full(String model) {
		return """
				{"model": "%s",
				 "variants": [{"name": "control", "alias": "champion", "weight": 50},
				              {"name": "v2", "version": "2", "weight": 30},
				              {"name": "v3", "version": 3, "weight": 20}],
				 "shadows": [{"name": "shadow", "alias": "challenger"}],
				 "reward": {"kind": "numeric"},
				 "alpha": 0.01, "min_samples": 500, "max_samples": 20000,
				 "guardrails": {"max_error_rate_increase": 0.002, "p99_latency_ms": 250},
				 "action": "promote", "allocation": "thompson", "uniform_share": 0.3}""".formatted(model);
	}

	/** The id of a test created from {@code json}, which must succeed. */
	static String createdId(WebTestClient client, String json) {
		return json(create(client, json).expectStatus().isCreated()).path("id").asString();
	}

	static JsonNode json(WebTestClient.ResponseSpec response) {
		return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
	}

}
