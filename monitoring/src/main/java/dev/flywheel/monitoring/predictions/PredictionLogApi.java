package dev.flywheel.monitoring.predictions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.flywheel.monitoring.drifting.LiveTraffic;
import dev.flywheel.monitoring.feedback.FeedbackStore;
import dev.flywheel.monitoring.ingest.IngestGate;
import dev.flywheel.monitoring.ingest.IngestReport;
import dev.flywheel.monitoring.ingest.RequestBodies;
import dev.flywheel.monitoring.system.Views;

/**
 * {@code POST /api/v1/predictions}: the inference service's prediction log ({@link PredictionLogReader}), stored
 * whole or not at all; 200 with what was stored and what was there already. What was stored is counted in its
 * version's live drift window ({@link LiveTraffic}). {@code GET /api/v1/predictions/{id}}: one
 * prediction as logged, joined with its feedback when some has come.
 */
@RestController
class PredictionLogApi {

	static final String SOURCE = IngestGate.PREDICTIONS;

	private final PredictionLogStore store;

	private final FeedbackStore feedback;

	private final IngestGate gate;

	private final RequestBodies bodies;

	private final LiveTraffic live;

	PredictionLogApi(PredictionLogStore store, FeedbackStore feedback, IngestGate gate, RequestBodies bodies,
			LiveTraffic live) {
		this.store = store;
		this.live = live;
		this.feedback = feedback;
		this.gate = gate;
		this.bodies = bodies;
	}

	@Tag(name = "Ingestion", description = "What the inference service and the router send")
	@Operation(summary = "Log predictions", description = "The inference service's prediction log: one record per "
			+ "answered request, its rows in columns; stored whole or not at all. A prediction id stored before is a "
			+ "duplicate (the first row stays).")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = "application/json",
			schema = @Schema(type = "object"), examples = @ExampleObject(value = """
					{"predictions": [
					  {"model": "iris-species", "version": "2", "variant": "v2", "timestamp": "2026-11-27T04:00:00.123Z",
					   "latency_ms": 1.93, "prediction_ids": ["0192...", "0193..."],
					   "features": {"sepal_length": [5.1, 6.7], "petal_length": [1.4, 5.0]},
					   "outputs": {"label": ["setosa", "virginica"],
					               "probabilities": {"setosa": [0.97, 0.01], "virginica": [0.03, 0.99]}}}]}""")))
	@ApiResponse(responseCode = "200", description = "Stored: {received, stored, duplicates}")
	@ApiResponse(responseCode = "400", description = "invalid-body: every fault with its place; nothing stored")
	@ApiResponse(responseCode = "413", description = "body-too-large: over flywheel.monitoring.max-request-size")
	@ApiResponse(responseCode = "503", description = "over-capacity (shed, Retry-After: 2) or database-unavailable "
			+ "(Retry-After: 5); nothing stored")
	@PostMapping("/api/v1/predictions")
	Mono<IngestReport> log(ServerWebExchange exchange) {
		return bodies.read(exchange).map(PredictionLogReader::read).flatMap(rows -> gate.admit(SOURCE, rows.size(),
				() -> store.store(rows).map(stored -> {
					live.add(rows.stream().filter(row -> stored.contains(row.predictionId())).toList());
					return IngestReport.of(rows.size(), stored.size());
				})));
	}

	@Tag(name = "Predictions")
	@Operation(summary = "One prediction as logged, with its feedback", description = "Model, version, variant, "
			+ "time, latency, features, label and probabilities or value, and its `feedback` when some has come; "
			+ "`\"logged\": false` when only the feedback has arrived so far")
	@ApiResponse(responseCode = "200", description = "The prediction")
	@ApiResponse(responseCode = "404", description = "Neither the prediction nor feedback on it is known")
	@GetMapping("/api/v1/predictions/{id}")
	Mono<ResponseEntity<Map<String, Object>>> prediction(@PathVariable String id) {
		return Mono.zip(store.find(id).map(Optional::of).defaultIfEmpty(Optional.empty()),
				feedback.find(id).map(Optional::of).defaultIfEmpty(Optional.empty()))
			.map(found -> {
				if (found.getT1().isEmpty() && found.getT2().isEmpty()) {
					return ResponseEntity.status(HttpStatus.NOT_FOUND)
						.body(Map.<String, Object>of("error", "No prediction " + id + " is logged and no feedback "
								+ "names it (or it is past the retention)"));
				}
				Map<String, Object> view = new LinkedHashMap<>();
				view.put("prediction_id", id);
				found.getT1().ifPresentOrElse(p -> {
					view.put("model", p.model());
					view.put("model_version", p.version());
					Views.putIfSet(view, "variant", p.variant());
					view.put("predicted_at", Instant.ofEpochMilli(p.predictedAt()).toString());
					Views.putIfSet(view, "latency_ms", p.latencyMs());
					view.put("features", p.features());
					Views.putIfSet(view, "label", p.label());
					Views.putIfSet(view, "probabilities", p.probabilities());
					Views.putIfSet(view, "value", p.value());
				}, () -> view.put("logged", false));
				found.getT2().ifPresent(f -> view.put("feedback", f.view()));
				return ResponseEntity.ok(view);
			});
	}


}
