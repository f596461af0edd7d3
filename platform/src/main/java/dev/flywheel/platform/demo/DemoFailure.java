package dev.flywheel.platform.demo;

/** Something the demo needed did not happen; the message says what, and the demo exits with it. */
final class DemoFailure extends RuntimeException {

	DemoFailure(String message) {
		super(message);
	}

}
