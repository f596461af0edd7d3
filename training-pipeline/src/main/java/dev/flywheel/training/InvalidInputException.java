package dev.flywheel.training;

/**
 * Bad input to a training job: a spec or a dataset that cannot be used. The message names the file and the line,
 * column or key at fault; the command line answers it with exit code 2.
 */
public class InvalidInputException extends RuntimeException {

	public InvalidInputException(String message) {
		super(message);
	}

}
