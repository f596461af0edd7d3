package dev.flywheel.registry.support;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.assertj.core.api.AbstractStringAssert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that an answer is MLflow's error JSON ({@code {"error_code", "message"}}, {@code application/json}) with
 * the given status and code, and that it gives nothing of the server's insides away. Returns an assertion on the
 * message so that a test can say what the message must name.
 */
public final class MlflowErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MlflowErrors() {
	}

	public static AbstractStringAssert<?> assertError(HttpResponse<?> response, int status, String errorCode) {
		Object body = response.body();
		String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
		return assertError(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), text,
				status, errorCode);
	}

	public static AbstractStringAssert<?> assertError(RawHttp.Response response, int status, String errorCode) {
		return assertError(response.status(), response.header("Content-Type"), response.text(), status, errorCode);
	}

	public static AbstractStringAssert<?> assertError(int actualStatus, String contentType, String body, int status,
			String errorCode) {
		assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
		assertThat(contentType).as("Content-Type of %s", body).startsWith("application/json");
		assertThat(body).doesNotContain("Exception").doesNotContain("at dev.flywheel").doesNotContain("stack_trace");
		JsonNode json = JSON.readTree(body);
		assertThat(json.isObject()).as("an object: %s", body).isTrue();
		assertThat(json.path("error_code").asString()).as("error_code of %s", body).isEqualTo(errorCode);
		assertThat(json.path("message").isString()).as("a message in %s", body).isTrue();
		return assertThat(json.path("message").asString()).as("message of %s", body);
	}

	/** The JSON of a successful answer. */
	public static JsonNode json(String body) {
		return JSON.readTree(body);
	}

}
