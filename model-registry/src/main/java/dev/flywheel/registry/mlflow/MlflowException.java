package dev.flywheel.registry.mlflow;

import org.springframework.http.HttpStatus;

/**
 * A failure that MLflow clients understand: rendered as {@code {"error_code": ..., "message": ...}} with the status
 * of its code, or an explicit one where MLflow's table has none (413 for a body over the limit).
 */
public class MlflowException extends RuntimeException {

	private final ErrorCode errorCode;

	private final HttpStatus status;

	public MlflowException(ErrorCode errorCode, String message) {
		this(errorCode, errorCode.status(), message);
	}

	public MlflowException(ErrorCode errorCode, HttpStatus status, String message) {
		super(message, null, false, false);
		this.errorCode = errorCode;
		this.status = status;
	}

	public static MlflowException invalid(String message) {
		return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, message);
	}

	public static MlflowException notFound(String message) {
		return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
	}

	public static MlflowException alreadyExists(String message) {
		return new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
	}

	public ErrorCode errorCode() {
		return errorCode;
	}

	public HttpStatus status() {
		return status;
	}

}
