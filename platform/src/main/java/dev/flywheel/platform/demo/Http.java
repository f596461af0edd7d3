package dev.flywheel.platform.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to the platform's services, every call bounded by a timeout. A service that does not answer, or
 * answers with an error the demo did not expect, stops the demo with the call and the answer named.
 */
final class Http {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** The platform's token, when the launcher's environment sets one: the demo's A/B test is a management call. */
	private final String token = System.getenv("FLYWHEEL_SECURITY_TOKEN");

	/** An answer: its status and its body read as JSON (a missing node when it was not JSON). */
	record Answer(int status, JsonNode body, String text) {

		boolean ok() {
			return status / 100 == 2;
		}

	}

	JsonNode get(String url) {
		return expectOk("GET", url, send(HttpRequest.newBuilder(URI.create(url)).GET()));
	}

	/** A GET whose 404 is an answer too (something not there yet). */
	Answer lookUp(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).GET());
	}

	JsonNode post(String url, Object body) {
		return expectOk("POST", url, postFor(url, body, Map.of()));
	}

	Answer postFor(String url, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (token != null && !token.isBlank()) {
			request.header("Authorization", "Bearer " + token);
		}
		headers.forEach(request::header);
		return send(request);
	}

	private Answer send(HttpRequest.Builder request) {
		HttpRequest built = request.timeout(TIMEOUT).build();
		try {
			HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
			JsonNode body;
			try {
				body = JSON.readTree(response.body());
			}
			catch (RuntimeException notJson) {
				body = JSON.missingNode();
			}
			return new Answer(response.statusCode(), body == null ? JSON.missingNode() : body, response.body());
		}
		catch (IOException ex) {
			throw new DemoFailure(built.method() + " " + built.uri() + " failed: " + ex + " (is the platform up? "
					+ "./flywheel status)");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DemoFailure("interrupted during " + built.method() + " " + built.uri());
		}
	}

	private static JsonNode expectOk(String method, String url, Answer answer) {
		if (!answer.ok()) {
			throw new DemoFailure(method + " " + url + " answered " + answer.status() + ": " + answer.text());
		}
		return answer.body();
	}

}
