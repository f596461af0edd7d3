package dev.flywheel.registry.mlflow;

import org.springframework.http.HttpStatus;

/** MLflow's error codes with the HTTP status MLflow's server answers each with. */
public enum ErrorCode {

	INVALID_PARAMETER_VALUE(HttpStatus.BAD_REQUEST), RESOURCE_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
	BAD_REQUEST(HttpStatus.BAD_REQUEST), UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
	PERMISSION_DENIED(HttpStatus.FORBIDDEN), RESOURCE_DOES_NOT_EXIST(HttpStatus.NOT_FOUND),
	ENDPOINT_NOT_FOUND(HttpStatus.NOT_FOUND), RESOURCE_CONFLICT(HttpStatus.CONFLICT),
	REQUEST_LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS), INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR),
	NOT_IMPLEMENTED(HttpStatus.NOT_IMPLEMENTED), TEMPORARILY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

	private final HttpStatus status;

	ErrorCode(HttpStatus status) {
		this.status = status;
	}

	public HttpStatus status() {
		return status;
	}

}
