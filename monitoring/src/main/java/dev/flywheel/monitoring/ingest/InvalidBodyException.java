package dev.flywheel.monitoring.ingest;

import java.util.List;
import java.util.stream.Collectors;

/** A posted body that cannot be taken, with every fault found; nothing of it is stored. */
public class InvalidBodyException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidBodyException(List<FieldError> errors) {
		super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
		this.errors = List.copyOf(errors);
	}

	public static InvalidBodyException of(String field, String message) {
		return new InvalidBodyException(List.of(new FieldError(field, message)));
	}

	public List<FieldError> errors() {
		return errors;
	}

}
