package dev.flywheel.bundle;

/** A bundle whose content does not hash to the digest it claims or that the registry recorded: never to be served. */
public class BundleDigestMismatchException extends BundleException {

	private final String expected;

	private final String actual;

	public BundleDigestMismatchException(String where, String expected, String actual) {
		super("The bundle " + where + " has digest " + actual + ", not the expected " + expected
				+ ": it was changed or damaged");
		this.expected = expected;
		this.actual = actual;
	}

	public String expected() {
		return expected;
	}

	public String actual() {
		return actual;
	}

}
