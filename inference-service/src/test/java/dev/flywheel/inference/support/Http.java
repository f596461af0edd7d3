package dev.flywheel.inference.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchanges with the service that send exactly the bytes a client would (malformed JSON, NaN tokens, CSV) and keep
 * the status, headers and body of the answer whatever it is, plus the checks every error answer must pass.
 */
public final class Http {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private Http() {
	}

	/** One answer: its status, headers and body as text. */
	public record Answer(int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

		@Override
		public String toString() {
			return status + " " + body;
		}

	}

	public static Answer get(WebTestClient client, String uri) {
		return answer(client.get().uri(uri).exchange().expectBody().returnResult());
	}

	public static Answer post(WebTestClient client, String uri, String contentType, String body) {
		WebTestClient.RequestBodySpec request = client.post().uri(uri);
		if (contentType != null) {
			request.header(HttpHeaders.CONTENT_TYPE, contentType);
		}
		return answer(request.bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange().expectBody().returnResult());
	}

	public static Answer postJson(WebTestClient client, String uri, String body) {
		return post(client, uri, MediaType.APPLICATION_JSON_VALUE, body);
	}

	/**
	 * Checks an Open Inference Protocol error (also the plain API's): {@code status}, a JSON body that is exactly
	 * {@code {"error": "..."}} and holds no stack trace, and {@code Retry-After} on 503. Returns the message.
	 */
	public static String error(Answer answer, int status) {
		assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
		assertNoStackTrace(answer);
		JsonNode body = answer.json();
		assertThat(body.isObject()).as("error body %s", answer.body()).isTrue();
		assertThat(fieldNames(body)).as("error body %s", answer.body()).containsExactly("error");
		assertThat(body.get("error").isString()).isTrue();
		assertRetryAfterOn503(answer);
		return body.get("error").asString();
	}

	/**
	 * Checks an MLflow scoring error: {@code status}, a JSON body {@code {"error_code": "...", "message": "..."}}
	 * with {@code errorCode} and no stack trace, and {@code Retry-After} on 503. Returns the message.
	 */
	public static String mlflowError(Answer answer, int status, String errorCode) {
		assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
		assertNoStackTrace(answer);
		JsonNode body = answer.json();
		assertThat(fieldNames(body)).as("error body %s", answer.body())
			.containsExactlyInAnyOrder("error_code", "message");
		assertThat(body.get("error_code").asString()).as("error body %s", answer.body()).isEqualTo(errorCode);
		assertRetryAfterOn503(answer);
		return body.get("message").asString();
	}

	/** No frame of a Java stack trace and no exception class name: the body speaks to the client, not the developer. */
	public static void assertNoStackTrace(Answer answer) {
		assertThat(answer.body()).as("body of %s", answer)
			.doesNotContain("\tat ", "Exception", "stack_trace")
			.doesNotContainPattern("at [a-z]+(\\.[a-zA-Z0-9_$]+)+\\(");
	}

	public static List<String> fieldNames(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

	private static void assertRetryAfterOn503(Answer answer) {
		if (answer.status() == 503) {
			String retryAfter = answer.headers().getFirst(HttpHeaders.RETRY_AFTER);
			assertThat(retryAfter).as("Retry-After of %s", answer).isNotNull().containsOnlyDigits();
			assertThat(Integer.parseInt(retryAfter)).isPositive();
		}
	}

	private static Answer answer(EntityExchangeResult<byte[]> result) {
		byte[] body = result.getResponseBody();
		return new Answer(result.getStatus().value(), result.getResponseHeaders(),
				body == null ? "" : new String(body, StandardCharsets.UTF_8));
	}

}
