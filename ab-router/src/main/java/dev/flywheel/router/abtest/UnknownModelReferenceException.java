package dev.flywheel.router.abtest;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A well-formed definition that names a model, a version or an alias the registry does not have; answered with 422
 * (the request parses and follows the rules, but what it refers to does not exist).
 */
public class UnknownModelReferenceException extends RuntimeException {

	private final transient List<FieldError> errors;

	public UnknownModelReferenceException(List<FieldError> errors) {
		super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return errors;
	}

}
