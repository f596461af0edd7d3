package dev.flywheel.router.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router answers a prediction request: the status, the headers it sets ({@code Content-Type},
 * {@code Retry-After}, and the test's headers when the request was routed in one), and the body.
 *
 * @param route the variant the request was routed to, or null (no test, or an error of the router's)
 */
record RoutedAnswer(int status, String contentType, String retryAfter, Route route, byte[] body) {

	private static final Logger logger = LoggerFactory.getLogger(RoutedAnswer.class);

	private static final String JSON = "application/json";

	/** A successful prediction of a variant: the answer with the test and variant added ({@link ServedPredictions}). */
	static RoutedAnswer served(int status, Route route, byte[] body) {
		return new RoutedAnswer(status, JSON, null, route, body);
	}

	/** The inference service's answer as it came (with the test's headers when it was routed in one). */
	static RoutedAnswer passOn(InferenceAnswer answer, Route route) {
		return new RoutedAnswer(answer.status(), answer.contentType(), answer.retryAfter(), route, answer.body());
	}

	/** An error of the router's, in the protocol's error format. */
	static RoutedAnswer error(Protocol protocol, int status, String message, String retryAfter) {
		return new RoutedAnswer(status, JSON, retryAfter, null,
				ServedPredictions.JSON.writeValueAsBytes(protocol.error(status, message)));
	}

	/** 503 with Retry-After: the inference service cannot be reached or did not answer in time. */
	static RoutedAnswer unavailable(Protocol protocol, InferenceUnavailableException ex) {
		logger.warn("A prediction failed: {}", ex.getMessage());
		return error(protocol, 503, ex.getMessage() + "; try again later", "5");
	}

}
