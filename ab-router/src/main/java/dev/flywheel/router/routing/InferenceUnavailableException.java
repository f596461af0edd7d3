package dev.flywheel.router.routing;

/**
 * The inference service did not answer: it cannot be reached, or it took longer than
 * {@code flywheel.inference.timeout}. Answered 503 with {@code Retry-After}.
 */
class InferenceUnavailableException extends RuntimeException {

	private final boolean timedOut;

	InferenceUnavailableException(String message, boolean timedOut, Throwable cause) {
		super(message, cause);
		this.timedOut = timedOut;
	}

	/** Whether the service was reached but did not answer in time (the variant's fault, unlike a refused connection). */
	boolean timedOut() {
		return timedOut;
	}

}
