package dev.flywheel.router.feedback;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/feedback}: one feedback event or an array of them. The answer reports every event: 200 when each
 * was recorded now or before; when some could not be taken, 200 with them listed if any other was taken, else the
 * reason's own status (404 all unknown, 410 all expired, 409 all conflicting, 422 a mix of those). Malformed events
 * are refused before anything is recorded: 400 with each fault by its place.
 */
@RestController
class FeedbackApi {

	private static final Logger logger = LoggerFactory.getLogger(FeedbackApi.class);

	private final FeedbackService service;

	FeedbackApi(FeedbackService service) {
		this.service = service;
	}

	@PostMapping("/api/v1/feedback")
	Mono<ResponseEntity<FeedbackReport>> feedback(@RequestBody(required = false) Mono<String> body) {
		return body.defaultIfEmpty("").map(FeedbackReader::read).flatMap(service::take).map(report -> ResponseEntity
			.status(status(report))
			.body(report));
	}

	private static HttpStatus status(FeedbackReport report) {
		if (report.allTaken() || !report.noneTaken()) {
			return HttpStatus.OK;
		}
		int kinds = (report.unknown().isEmpty() ? 0 : 1) + (report.expired().isEmpty() ? 0 : 1)
				+ (report.conflicting().isEmpty() ? 0 : 1);
		if (kinds > 1) {
			return HttpStatus.UNPROCESSABLE_CONTENT;
		}
		return !report.unknown().isEmpty() ? HttpStatus.NOT_FOUND
				: !report.expired().isEmpty() ? HttpStatus.GONE : HttpStatus.CONFLICT;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidFeedbackException ex) {
		logger.debug("Refused feedback: {}", ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setType(URI.create("https://flywheel.dev/problems/invalid-feedback"));
		problem.setTitle("Invalid feedback");
		problem.setProperty("errors", ex.errors());
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	@ExceptionHandler({ TimeoutException.class, DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("Recording feedback failed: {}", ex.toString());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The router's database did not answer in time; nothing was recorded, send the feedback again later");
		problem.setType(URI.create("https://flywheel.dev/problems/database-unavailable"));
		problem.setTitle("The router's database is unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(problem);
	}


}
