package dev.flywheel.monitoring.feedback;

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

	static final String SOURCE = "feedback";

	private final FeedbackStore store;

	private final IngestGate gate;

	private final RequestBodies bodies;

	FeedbackApi(FeedbackStore store, IngestGate gate, RequestBodies bodies) {
		this.store = store;
		this.gate = gate;
		this.bodies = bodies;
	}

	@PostMapping("/api/v1/feedback")
	Mono<IngestReport> feedback(ServerWebExchange exchange) {
		return bodies.read(exchange).map(FeedbackReader::read).flatMap(events -> gate.admit(SOURCE, events.size(),
				() -> store.store(events)));
	}

}
