package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
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

/**
 * Calls the inference service directly (not through the router) with labelled rows: the plain API
 * ({@code /v1/models/{name}:predict}) and the Open Inference Protocol ({@code /v2/models/{name}/versions/{v}/infer},
 * one FP64 tensor per feature), and answers each row's predicted label and the version that computed it.
 */
public final class InferenceClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String baseUrl;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	public InferenceClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * An answer.
	 * @param version the version that computed it, as the service names it
	 * @param labels each row's most probable class
	 */
	public record Predictions(String version, List<String> labels) {
	}

	/** {@code POST /v1/models/{model}:predict[?version=v]} with the rows as instances; {@code version} may be null. */
	public Predictions predict(String model, String version, List<DigitsRows.Row> rows) {
		String query = version == null ? "" : "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
		JsonNode answer = post("/v1/models/" + model + ":predict" + query, DigitsRows.predictRequest(rows));
		List<String> labels = new ArrayList<>();
		answer.get("predictions").forEach(row -> labels.add(row.get("label").asString()));
		return new Predictions(answer.get("model_version").asString(), labels);
	}

	/** {@code POST /v2/models/{model}/versions/{version}/infer} with one FP64 tensor per feature. */
	public Predictions infer(String model, String version, List<DigitsRows.Row> rows) {
		List<Map<String, Object>> inputs = new ArrayList<>();
		for (String feature : rows.get(0).features().keySet()) {
			List<Object> column = rows.stream().map(row -> row.features().get(feature)).toList();
			Map<String, Object> tensor = new LinkedHashMap<>();
			tensor.put("name", feature);
			tensor.put("shape", List.of(rows.size()));
			tensor.put("datatype", "FP64");
			tensor.put("data", column);
			inputs.add(tensor);
		}
		JsonNode answer = post("/v2/models/" + model + "/versions/" + version + "/infer", Map.of("inputs", inputs));
		for (JsonNode output : answer.get("outputs")) {
			if (output.get("name").asString().equals("label")) {
				List<String> labels = new ArrayList<>();
				output.get("data").forEach(label -> labels.add(label.asString()));
				return new Predictions(answer.get("model_version").asString(), labels);
			}
		}
		throw new IllegalStateException("The OIP answer has no 'label' output: " + answer);
	}

	private JsonNode post(String path, Object body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
						+ response.body());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
