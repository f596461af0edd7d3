package dev.flywheel.router.feedback;

import java.util.List;

import dev.flywheel.router.abtest.FieldError;

/** Feedback that cannot be taken as sent: answered 400 with every fault by its place in the request. */
class InvalidFeedbackException extends RuntimeException {

	private final List<FieldError> errors;

	InvalidFeedbackException(List<FieldError> errors) {
		super(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
				: "the feedback has " + errors.size() + " faults; see errors");
		this.errors = List.copyOf(errors);
	}

	List<FieldError> errors() {
		return errors;
	}

}
