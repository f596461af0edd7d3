package dev.flywheel.router.abtest;

/**
 * A change the test's state does not allow: a second running test for a model, or any change to a stopped, decided or
 * invalid test; answered with 409.
 */
public class AbTestConflictException extends RuntimeException {

	public AbTestConflictException(String message) {
		super(message);
	}

}
