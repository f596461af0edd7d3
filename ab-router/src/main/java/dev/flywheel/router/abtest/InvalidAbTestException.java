package dev.flywheel.router.abtest;

import java.util.List;
import java.util.stream.Collectors;

/** A request to create or change a test that is malformed or breaks a rule; answered with 400 and every error. */
public class InvalidAbTestException extends RuntimeException {

	private final transient List<FieldError> errors;

	public InvalidAbTestException(List<FieldError> errors) {
		super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
		this.errors = List.copyOf(errors);
	}

	public InvalidAbTestException(String field, String message) {
		this(List.of(new FieldError(field, message)));
	}

	public List<FieldError> errors() {
		return errors;
	}

}
