package dev.flywheel.monitoring.ingest;

/** A post shed because taking it would put more rows in flight than {@code flywheel.monitoring.rows-in-flight}. */
public class OverCapacityException extends RuntimeException {

	public OverCapacityException(String message) {
		super(message, null, false, false);
	}

}
