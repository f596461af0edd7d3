package dev.flywheel.router.abtest;

import java.net.URI;
import java.util.List;
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
import org.springframework.web.server.ServerWebInputException;

import dev.flywheel.support.ManagementToken;

/**
 * How the A/B test API answers failures: RFC 9457 problems with a stable {@code type}, a {@code detail} safe to show,
 * and, for bad input, {@code errors}: every field at fault with what is wrong with it.
 *
 * <table>
 * <tr><th>status</th><th>type (under {@value #BASE})</th><th>when</th></tr>
 * <tr><td>400</td><td>invalid-ab-test</td><td>malformed JSON, a wrong type, a broken rule, an unknown field</td></tr>
 * <tr><td>401</td><td>unauthenticated</td><td>a creation or change without the token {@code flywheel.security.token}
 * sets (the answer carries {@code WWW-Authenticate: Bearer})</td></tr>
 * <tr><td>404</td><td>ab-test-not-found</td><td>no test has the id</td></tr>
 * <tr><td>409</td><td>ab-test-conflict</td><td>a second running test of a model; a change to a final test</td></tr>
 * <tr><td>422</td><td>unknown-model-reference</td><td>the registry has no such model, version or alias</td></tr>
 * <tr><td>503</td><td>registry-unavailable, database-unavailable</td><td>a dependency did not answer</td></tr>
 * </table>
 * Client mistakes are logged at debug, dependencies at warn.
 */
@RestControllerAdvice(assignableTypes = AbTestApi.class)
class AbTestProblems {

	static final String BASE = "https://flywheel.dev/problems/";

	private static final Logger logger = LoggerFactory.getLogger(AbTestProblems.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidAbTestException ex) {
		logger.debug("Refused an A/B test request: {}", ex.getMessage());
		return answer(HttpStatus.BAD_REQUEST, "invalid-ab-test", "Invalid A/B test request", ex.getMessage(),
				ex.errors());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadable(ServerWebInputException ex) {
		logger.debug("Refused an unreadable A/B test request: {}", ex.getMessage());
		String detail = ex.getReason() != null ? ex.getReason() : "the request cannot be read";
		return answer(HttpStatus.BAD_REQUEST, "invalid-ab-test", "Invalid A/B test request", detail,
				List.of(new FieldError("$", detail)));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownReference(UnknownModelReferenceException ex) {
		logger.debug("Refused an A/B test naming what the registry lacks: {}", ex.getMessage());
		return answer(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-model-reference",
				"The registry has no such model, version or alias", ex.getMessage(), ex.errors());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unauthenticated(UnauthenticatedException ex) {
		logger.debug("Refused an A/B test change without the token: {}", ex.getMessage());
		return withHeader(answer(HttpStatus.UNAUTHORIZED, "unauthenticated", "A bearer token is required",
				ex.getMessage(), null), HttpHeaders.WWW_AUTHENTICATE, ManagementToken.CHALLENGE);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(AbTestNotFoundException ex) {
		return answer(HttpStatus.NOT_FOUND, "ab-test-not-found", "No such A/B test", ex.getMessage(), null);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> conflict(AbTestConflictException ex) {
		logger.debug("Refused an A/B test change: {}", ex.getMessage());
		return answer(HttpStatus.CONFLICT, "ab-test-conflict", "The A/B test's state does not allow this",
				ex.getMessage(), null);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> registryUnavailable(RegistryUnavailableException ex) {
		return unavailable("registry-unavailable", "The model registry is unavailable", ex.getMessage());
	}

	@ExceptionHandler({ TimeoutException.class, DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("The router's database failed: {}", ex.toString());
		return unavailable("database-unavailable", "The router's database is unavailable",
				"The router's database did not answer in time; try again later");
	}

	private static ResponseEntity<ProblemDetail> unavailable(String type, String title, String detail) {
		return withHeader(answer(HttpStatus.SERVICE_UNAVAILABLE, type, title, detail, null), HttpHeaders.RETRY_AFTER,
				"5");
	}

	private static ResponseEntity<ProblemDetail> withHeader(ResponseEntity<ProblemDetail> answer, String name,
			String value) {
		return ResponseEntity.status(answer.getStatusCode())
			.headers(answer.getHeaders())
			.header(name, value)
			.body(answer.getBody());
	}

	private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String type, String title, String detail,
			List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(BASE + type));
		problem.setTitle(title);
		if (errors != null) {
			problem.setProperty("errors", errors);
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
