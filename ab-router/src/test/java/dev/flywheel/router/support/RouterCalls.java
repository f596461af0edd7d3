package dev.flywheel.router.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a client of the router sends: predictions of digits rows by unit, feedback, and A/B test calls. */
public final class RouterCalls {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final String baseUrl;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	public RouterCalls(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * An answer: status, the {@code X-Flywheel-Variant} header (or null), the body as JSON (or null) and as text, and
	 * the {@code Retry-After} header (or null).
	 */
	public record Answer(int status, String variantHeader, JsonNode body, String text, String retryAfter,
			String wwwAuthenticate) {
	}

	/** One routed prediction of the plain API, as the test reads it. */
	public record Routed(String predictionId, String variant, String testId, String version, String label) {
	}

	/** {@code POST /v1/models/digits:predict} of one row for {@code unit}. */
	public Routed predict(String model, String unit, DigitsRows.Row row) {
		Answer answer = post("/v1/models/" + model + ":predict", JSON.writeValueAsString(DigitsRows.predictRequest(
				List.of(row))), unit == null ? Map.of() : Map.of("X-Flywheel-Unit", unit));
		if (answer.status() != 200) {
			throw new IllegalStateException("The router answered " + answer.status() + ": " + answer.text());
		}
		JsonNode body = answer.body();
		return new Routed(body.path("prediction_ids").path(0).asString(), text(body.get("variant")),
				text(body.get("ab_test_id")), body.path("model_version").asString(),
				body.path("predictions").path(0).path("label").asString());
	}

	/** An OIP request body for {@code rows}, one FP64 tensor per feature, with {@code parameters} when given. */
	public static String oipBody(List<DigitsRows.Row> rows, Map<String, Object> parameters) {
		List<Map<String, Object>> inputs = new ArrayList<>();
		for (String feature : rows.get(0).features().keySet()) {
			Map<String, Object> tensor = new LinkedHashMap<>();
			tensor.put("name", feature);
			tensor.put("shape", List.of(rows.size()));
			tensor.put("datatype", "FP64");
			tensor.put("data", rows.stream().map(r -> ((Number) r.features().get(feature)).doubleValue()).toList());
			inputs.add(tensor);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("inputs", inputs);
		if (parameters != null && !parameters.isEmpty()) {
			body.put("parameters", parameters);
		}
		return JSON.writeValueAsString(body);
	}

	public Answer feedback(String json) {
		return post("/api/v1/feedback", json, Map.of());
	}

	public Answer post(String path, String json, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return send(request);
	}

	/** Like {@link #post}, but the body is sent in chunks, without a {@code Content-Length}. */
	public Answer postChunked(String path, String json, Map<String, String> headers) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.version(HttpClient.Version.HTTP_1_1)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
		headers.forEach(request::header);
		return send(request);
	}

	public Answer patch(String path, String json) {
		return patch(path, json, Map.of());
	}

	public Answer patch(String path, String json, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return send(request);
	}

	public Answer get(String path) {
		return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET());
	}

	private Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode body;
			try {
				body = response.body().isEmpty() ? null : JSON.readTree(response.body());
			}
			catch (RuntimeException notJson) {
				body = null;
			}
			return new Answer(response.statusCode(), response.headers().firstValue("X-Flywheel-Variant").orElse(null),
					body, response.body(), response.headers().firstValue("Retry-After").orElse(null),
					response.headers().firstValue("WWW-Authenticate").orElse(null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String text(JsonNode node) {
		return node == null || node.isNull() ? null : node.asString();
	}

}
