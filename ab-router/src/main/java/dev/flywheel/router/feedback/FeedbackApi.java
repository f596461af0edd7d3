package dev.flywheel.router.feedback;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
	@Tag(name = "Feedback", description = "Labels and rewards of routed predictions (ab-router/README.md)")
	@Operation(summary = "Send feedback on routed predictions", description = "One event or an array of up to "
			+ "10,000, each with a `prediction_id` and either a `label` (a string or integer) or a finite `reward`. "
			+ "Idempotent per prediction id; accepted within flywheel.router.feedback-window of the prediction.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
			mediaType = "application/json", schema = @Schema(type = "object", description = "an event or an array "
					+ "of events"), examples = @ExampleObject(value = """
							[{"prediction_id": "6f1c...", "label": "7"},
							 {"prediction_id": "0b9e...", "reward": 12.5}]""")))
	@ApiResponse(responseCode = "200", description = "Every event recorded now or before, or some taken and the "
			+ "others listed: {accepted, already_recorded, unknown, expired, conflicting}")
	@ApiResponse(responseCode = "400", description = "invalid-feedback: malformed; nothing recorded")
	@ApiResponse(responseCode = "404", description = "None taken: all unknown ids (the report)",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = FeedbackReport.class)))
	@ApiResponse(responseCode = "409", description = "None taken: all conflicting (the report)",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = FeedbackReport.class)))
	@ApiResponse(responseCode = "410", description = "None taken: all expired (the report)",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = FeedbackReport.class)))
	@ApiResponse(responseCode = "422", description = "None taken, for several of those reasons (the report)",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = FeedbackReport.class)))
	@ApiResponse(responseCode = "503", description = "database-unavailable: nothing recorded (Retry-After)")
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
