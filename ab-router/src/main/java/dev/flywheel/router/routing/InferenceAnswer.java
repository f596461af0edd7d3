package dev.flywheel.router.routing;

/** The inference service's answer to a forwarded request: status, the headers the router passes on, and the body. */
record InferenceAnswer(int status, String contentType, String retryAfter, byte[] body) {

	boolean isSuccess() {
		return status >= 200 && status < 300;
	}

}
