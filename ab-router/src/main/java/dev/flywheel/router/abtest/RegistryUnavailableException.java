package dev.flywheel.router.abtest;

/** The registry did not answer (in time, or at all) while a definition was being checked; answered with 503. */
public class RegistryUnavailableException extends RuntimeException {

	public RegistryUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
