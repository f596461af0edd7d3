package dev.flywheel.monitoring.retraining;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.monitoring.system.Views;
import dev.flywheel.support.ManagementToken;

/**
 * {@code POST /api/v1/models/{name}/retrain[?force=true]}: a manual trigger; 202 with the job launched, 409 with why
 * none was (a job runs, the cool-down, the daily cap), 401 without the token {@code flywheel.security.token} sets.
 * {@code GET /api/v1/retraining/jobs[?model=m][&limit=n]} and {@code GET /api/v1/retraining/jobs/{id}}: the jobs,
 * newest first, with their status, snapshot, outcome and log tail.
 */
@RestController
class RetrainingApi {

	private final RetrainingController controller;

	private final JobStore jobs;

	private final ManagementToken token;

	RetrainingApi(RetrainingController controller, JobStore jobs, ManagementToken token) {
		this.controller = controller;
		this.jobs = jobs;
		this.token = token;
	}

	@Tag(name = "Retraining", description = "Manual triggers and jobs (monitoring/README.md, \"Retraining\")")
	@Operation(summary = "Retrain a model now", description = "A manual trigger: launches a retraining job on a "
			+ "snapshot of the labelled predictions")
	@Parameter(name = "force", description = "launch even within the cool-down or over the daily cap")
	@ApiResponse(responseCode = "202", description = "The job launched; Location: /api/v1/retraining/jobs/{id}")
	@ApiResponse(responseCode = "401", description = "flywheel.security.token is set and the call does not carry it "
			+ "(WWW-Authenticate: Bearer)")
	@ApiResponse(responseCode = "409", description = "No job launched, saying why (a job runs, the cool-down, the "
			+ "daily cap)")
	@PostMapping("/api/v1/models/{name}/retrain")
	Mono<ResponseEntity<Map<String, Object>>> retrain(@PathVariable String name,
			@RequestParam(defaultValue = "false") boolean force, ServerHttpRequest request) {
		ManagementToken.Check check = token.check(request);
		if (check != ManagementToken.Check.ACCEPTED) {
			return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, ManagementToken.CHALLENGE)
				.body(Map.of("error", check == ManagementToken.Check.MISSING
						? "Monitoring requires a bearer token to trigger a retraining: send Authorization: Bearer <token>"
						: "The bearer token is not valid for this monitoring service")));
		}
		return controller.trigger(name, TriggerReason.MANUAL, force)
			.map(result -> result.isLaunched()
					? ResponseEntity.status(HttpStatus.ACCEPTED)
						.header("Location", "/api/v1/retraining/jobs/" + result.job().id())
						.body(view(result.job()))
					: ResponseEntity.status(HttpStatus.CONFLICT)
						.body(Map.<String, Object>of("error", "No retraining of '" + name + "' was launched: "
								+ result.refusal())));
	}

	@Tag(name = "Retraining")
	@Operation(summary = "List retraining jobs", description = "Newest first, with status, reason, attempt, "
			+ "snapshot, outcome and log tail")
	@Parameter(name = "model", description = "only this model's jobs")
	@Parameter(name = "limit", description = "at most this many, 1 to 1000")
	@ApiResponse(responseCode = "200", description = "{\"jobs\": [...]}")
	@ApiResponse(responseCode = "400", description = "limit out of range")
	@GetMapping("/api/v1/retraining/jobs")
	Mono<ResponseEntity<Map<String, Object>>> list(@RequestParam(required = false) String model,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1000) {
			return Mono.just(ResponseEntity.badRequest()
				.body(Map.of("error", "limit must be between 1 and 1000, not " + limit)));
		}
		return jobs.list(model, limit)
			.map(found -> ResponseEntity.ok(Map.<String, Object>of("jobs", found.stream().map(RetrainingApi::view)
				.toList())));
	}

	@Tag(name = "Retraining")
	@Operation(summary = "One retraining job")
	@ApiResponse(responseCode = "200", description = "The job")
	@ApiResponse(responseCode = "404", description = "No such job")
	@GetMapping("/api/v1/retraining/jobs/{id}")
	Mono<ResponseEntity<Map<String, Object>>> job(@PathVariable String id) {
		return jobs.find(id)
			.map(job -> ResponseEntity.ok(view(job)))
			.defaultIfEmpty(ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(Map.of("error", "No retraining job " + id)));
	}

	static Map<String, Object> view(RetrainingJob job) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", job.id());
		view.put("model", job.model());
		view.put("reason", job.reason().name().toLowerCase(Locale.ROOT));
		view.put("attempt", job.attempt());
		view.put("status", job.status().name().toLowerCase(Locale.ROOT));
		view.put("requested_at", Instant.ofEpochMilli(job.requestedAt()).toString());
		putTime(view, "started_at", job.startedAt());
		putTime(view, "finished_at", job.finishedAt());
		Views.putIfSet(view, "base_version", job.baseVersion());
		if (job.snapshotDigest() != null) {
			view.put("snapshot", Map.of("digest", job.snapshotDigest(), "rows", job.snapshotRows()));
		}
		Views.putIfSet(view, "new_version", job.newVersion());
		Views.putIfSet(view, "exit_code", job.exitCode());
		Views.putIfSet(view, "detail", job.detail());
		Views.putIfSet(view, "ab_test_id", job.abTestId());
		if (job.logTail() != null) {
			view.put("log_tail", List.of(job.logTail().split("\n")));
		}
		return view;
	}

	private static void putTime(Map<String, Object> view, String name, Long millis) {
		if (millis != null) {
			view.put(name, Instant.ofEpochMilli(millis).toString());
		}
	}


}
