package dev.flywheel.router.abtest;

public class AbTestNotFoundException extends RuntimeException {

	public AbTestNotFoundException(String id) {
		super("No A/B test has id '" + id + "'");
	}

}
