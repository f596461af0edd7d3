package dev.flywheel.inference.serving;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * A request the service cannot answer with a prediction, with the status that says why. Every prediction API turns it
 * into its own error body; the message names the problem (the field, the model, the limit).
 */
public final class InferenceException extends RuntimeException {

	private final HttpStatus status;

	private final Duration retryAfter;

	private InferenceException(HttpStatus status, String message, Duration retryAfter) {
		super(message, null, false, false);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	/** 400: the request is malformed or does not fit the model's signature. */
	public static InferenceException badInput(String message) {
		return new InferenceException(HttpStatus.BAD_REQUEST, message, null);
	}

	/** 404: no such model or version is served here. */
	public static InferenceException notFound(String message) {
		return new InferenceException(HttpStatus.NOT_FOUND, message, null);
	}

	/** 413: the body is over the configured limit. */
	public static InferenceException tooLarge(String message) {
		return new InferenceException(HttpStatus.CONTENT_TOO_LARGE, message, null);
	}

	/** 415: a body in a format the endpoint does not read. */
	public static InferenceException unsupportedMediaType(String message) {
		return new InferenceException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message, null);
	}

	/** 503 with {@code Retry-After}: not loaded yet, or the queue is full. */
	public static InferenceException unavailable(String message, Duration retryAfter) {
		return new InferenceException(HttpStatus.SERVICE_UNAVAILABLE, message, retryAfter);
	}

	/** 500: the model failed on input that passed validation. */
	public static InferenceException modelFailure(String message) {
		return new InferenceException(HttpStatus.INTERNAL_SERVER_ERROR, message, null);
	}

	public HttpStatus status() {
		return status;
	}

	/** How long a client should wait before retrying, for 503 answers; null otherwise. */
	public Duration retryAfter() {
		return retryAfter;
	}

	/** The outcome label this failure carries in the request metrics. */
	public String outcome() {
		return switch (status) {
			case BAD_REQUEST, CONTENT_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> "bad_request";
			case NOT_FOUND -> "not_found";
			case SERVICE_UNAVAILABLE -> "unavailable";
			default -> "error";
		};
	}

}
