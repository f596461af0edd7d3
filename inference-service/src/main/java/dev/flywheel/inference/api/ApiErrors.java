package dev.flywheel.inference.api;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ResponseStatusException;

import dev.flywheel.inference.serving.InferenceException;

/** Turns whatever a prediction request failed with into an {@link InferenceException} with the right status. */
public final class ApiErrors {

	private ApiErrors() {
	}

	public static InferenceException classify(Throwable failure, long maxBytes) {
		if (failure instanceof InferenceException known) {
			return known;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataBufferLimitException) {
				return InferenceException.tooLarge("The request body is over the limit of " + maxBytes
						+ " bytes (flywheel.inference.limits.max-request-size)");
			}
		}
		if (failure instanceof ResponseStatusException status) {
			if (status.getStatusCode().value() == 413) {
				return InferenceException.tooLarge("The request body is over the limit of " + maxBytes
						+ " bytes (flywheel.inference.limits.max-request-size)");
			}
			if (status.getStatusCode().is4xxClientError()) {
				return InferenceException.badInput(status.getReason() == null ? status.getMessage() : status.getReason());
			}
		}
		if (failure instanceof DecodingException) {
			return InferenceException.badInput("The request body cannot be read: " + failure.getMessage());
		}
		// the cause goes to the log (by the API's handler), not to the client
		return InferenceException.modelFailure("The request failed on the server; its log has the cause");
	}

	/** The response headers of an error: {@code Retry-After} on 503. */
	public static <T> ResponseEntity<T> response(InferenceException error, T body) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(error.status());
		if (error.retryAfter() != null) {
			builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, error.retryAfter().toSeconds())));
		}
		return builder.body(body);
	}

}
