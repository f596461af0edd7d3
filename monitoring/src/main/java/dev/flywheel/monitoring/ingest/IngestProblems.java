package dev.flywheel.monitoring.ingest;

import java.net.URI;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 answers for what the ingestion APIs refuse: 400 {@code invalid-body} with every fault by its place, 413
 * {@code body-too-large}, 503 {@code over-capacity} (shed, with {@code Retry-After}) and 503
 * {@code database-unavailable}. Nothing of a refused post is stored.
 */
@RestControllerAdvice
class IngestProblems {

	private static final Logger logger = LoggerFactory.getLogger(IngestProblems.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidBodyException ex) {
		logger.debug("Refused a post: {}", ex.getMessage());
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-body", "Invalid body", ex.getMessage());
		problem.setProperty("errors", ex.errors());
		return answer(HttpStatus.BAD_REQUEST, problem, null);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooLarge(RequestBodies.BodyTooLargeException ex) {
		return answer(HttpStatus.CONTENT_TOO_LARGE,
				problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Body too large", ex.getMessage()), null);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> overCapacity(OverCapacityException ex) {
		logger.warn("Shed a post: {}", ex.getMessage());
		return answer(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, "over-capacity",
				"Monitoring is over capacity", ex.getMessage()), "2");
	}

	@ExceptionHandler({ TimeoutException.class, DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("Storing a post failed: {}", ex.toString());
		return answer(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
				"Monitoring's database is unavailable",
				"The database did not answer in time; nothing was stored, send it again later"), "5");
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("https://flywheel.dev/problems/" + type));
		problem.setTitle(title);
		return problem;
	}

	private static ResponseEntity<ProblemDetail> answer(HttpStatus status, ProblemDetail problem, String retryAfter) {
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (retryAfter != null) {
			answer.header(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		return answer.body(problem);
	}

}
