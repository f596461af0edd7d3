package dev.flywheel.monitoring.feedback;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.flywheel.monitoring.ingest.IngestGate;
import dev.flywheel.monitoring.ingest.IngestReport;
import dev.flywheel.monitoring.ingest.RequestBodies;

/**
 * {@code POST /api/v1/feedback}: the feedback the router forwards ({@link FeedbackReader}), stored whole or not at
 * all; 200 with what was stored and what was there already (the router may send an event again after a failed post).
 */
@RestController
class FeedbackApi {

	static final String SOURCE = IngestGate.FEEDBACK;

	private final FeedbackStore store;

	private final IngestGate gate;

	private final RequestBodies bodies;

	FeedbackApi(FeedbackStore store, IngestGate gate, RequestBodies bodies) {
		this.store = store;
		this.gate = gate;
		this.bodies = bodies;
	}

	@Tag(name = "Ingestion")
	@Operation(summary = "Store forwarded feedback", description = "The feedback the router accepted: "
			+ "`prediction_id`, `model`, `predicted_at` and `received_at` required, with a `label` (text or integer) "
			+ "or a finite `reward`; unknown fields are refused. Stored whole or not at all.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = "application/json",
			schema = @Schema(type = "object"), examples = @ExampleObject(value = """
					{"feedback": [{"prediction_id": "0192...", "model": "iris-species", "model_version": "2",
					               "ab_test_id": "6f1c...", "variant": "v2", "predicted": "setosa", "label": "versicolor",
					               "predicted_at": "2026-11-27T04:00:00.123Z", "received_at": "2026-11-27T05:10:00Z"}]}""")))
	@ApiResponse(responseCode = "200", description = "Stored: {received, stored, duplicates}")
	@ApiResponse(responseCode = "400", description = "invalid-body: every fault with its place; nothing stored")
	@ApiResponse(responseCode = "413", description = "body-too-large: over flywheel.monitoring.max-request-size")
	@ApiResponse(responseCode = "503", description = "over-capacity (shed, Retry-After) or database-unavailable; "
			+ "nothing stored")
	@PostMapping("/api/v1/feedback")
	Mono<IngestReport> feedback(ServerWebExchange exchange) {
		return bodies.read(exchange).map(FeedbackReader::read).flatMap(events -> gate.admit(SOURCE, events.size(),
				() -> store.store(events)));
	}

}
