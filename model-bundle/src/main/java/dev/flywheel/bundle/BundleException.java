package dev.flywheel.bundle;

/** A bundle that cannot be read, written, published or fetched; the message names the file and the problem. */
public class BundleException extends RuntimeException {

	public BundleException(String message) {
		super(message);
	}

	public BundleException(String message, Throwable cause) {
		super(message, cause);
	}

}
