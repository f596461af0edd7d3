package dev.flywheel.router.abtest;

/** A management call without the router's token, or with another one. */
class UnauthenticatedException extends RuntimeException {

	UnauthenticatedException(String message) {
		super(message);
	}

}
