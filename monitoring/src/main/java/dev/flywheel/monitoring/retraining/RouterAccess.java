package dev.flywheel.monitoring.retraining;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.system.RouterProperties;

/**
 * Starts the A/B test of a retrained version against the champion on the router ({@code POST /api/v1/ab-tests}, a
 * blocking call bounded by {@code flywheel.router.timeout}; callers run it off the event loop).
 */
@Component
public class RouterAccess {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final RouterProperties properties;

	RouterAccess(RouterProperties properties) {
		this.properties = properties;
		this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
	}

	/**
	 * Starts a test of {@code version} (variant {@code challenger}) against the {@code champion} alias with the label
	 * as reward; returns its id.
	 *
	 * @throws IllegalStateException with the router's answer when it refuses (a test of the model runs already)
	 */
	String startAbTest(String model, String version, AbTestPolicy policy) throws IOException, InterruptedException {
		Map<String, Object> test = new LinkedHashMap<>();
		test.put("model", model);
		test.put("variants", List.of(
				Map.of("name", "champion", "alias", "champion", "weight", 100 - policy.challengerWeight()),
				Map.of("name", "challenger", "version", Integer.parseInt(version), "weight",
						policy.challengerWeight())));
		test.put("reward", Map.of("kind", "label"));
		test.put("action", policy.action());
		if (policy.minSamples() != null) {
			test.put("min_samples", policy.minSamples());
		}
		String base = properties.url().toString().replaceAll("/+$", "");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/ab-tests"))
			.timeout(properties.timeout())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(test)));
		if (!properties.token().isBlank()) {
			request.header("Authorization", "Bearer " + properties.token());
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw new IllegalStateException("The router at " + base + " answered " + response.statusCode()
					+ " to the A/B test: " + response.body());
		}
		return JSON.readTree(response.body()).path("id").asString();
	}

	/**
	 * The router's A/B tests of {@code model} as it lists them ({@code GET /api/v1/ab-tests?model=}), newest first.
	 *
	 * @throws IOException when the router cannot be reached
	 * @throws IllegalStateException when it answers other than 200
	 */
	public List<JsonNode> abTests(String model) throws IOException, InterruptedException {
		String base = properties.url().toString().replaceAll("/+$", "");
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/ab-tests?model="
				+ URLEncoder.encode(model, StandardCharsets.UTF_8)))
			.timeout(properties.timeout())
			.GET()
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("The router at " + base + " answered " + response.statusCode());
		}
		List<JsonNode> tests = new ArrayList<>();
		JSON.readTree(response.body()).path("ab_tests").forEach(tests::add);
		return tests;
	}

	/**
	 * How a retrained version is tested ({@code flywheel.monitoring.retraining.ab-test.*}).
	 *
	 * @param enabled whether a test is started at all (else the version is only made challenger)
	 * @param challengerWeight the challenger's share of the traffic, in percent (the champion gets the rest)
	 * @param action what the router does on a decision: {@code promote}, {@code rollback} or {@code report}
	 * @param minSamples the matured rewards per variant before any decision, or null for the router's default
	 */
	record AbTestPolicy(boolean enabled, int challengerWeight, String action, Integer minSamples) {
	}

}
