package dev.flywheel.platform.scaling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON over HTTP for the scale-out test, every call bounded by a timeout; a refused connection is an answer too. */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Json() {
	}

	/**
	 * An answer; status 0 when no answer came (connection refused or broken: the replica is down).
	 */
	record Answer(int status, JsonNode body, String text) {

		boolean ok() {
			return status / 100 == 2;
		}

	}

	static Answer get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).GET());
	}

	static Answer post(String url, Object body) {
		return post(url, body, Map.of());
	}

	static Answer post(String url, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : MAPPER.writeValueAsString(body)));
		headers.forEach(request::header);
		return send(request);
	}

	private static Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
			JsonNode body;
			try {
				body = MAPPER.readTree(response.body());
			}
			catch (RuntimeException notJson) {
				body = null;
			}
			return new Answer(response.statusCode(), body == null ? MAPPER.missingNode() : body, response.body());
		}
		catch (IOException down) {
			return new Answer(0, MAPPER.missingNode(), down.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
