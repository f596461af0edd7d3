package dev.flywheel.router.feedback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.support.RepeatingTask;
import dev.flywheel.router.system.RouterProperties;

/**
 * Forwards accepted feedback to monitoring ({@code POST <flywheel.monitoring.url>/api/v1/feedback}) in batches of at
 * most {@value #BATCH} events, once a second or sooner when a batch is full. A batch that fails (monitoring down,
 * slow past {@code flywheel.monitoring.timeout}, or answering 5xx) is sent again with the next attempt; past
 * {@code flywheel.monitoring.buffer} waiting events the oldest are dropped. Forwarded and dropped events are counted
 * ({@code flywheel_router_feedback_forwarded_total}, {@code flywheel_router_feedback_forward_dropped_total}).
 * <p>
 * The body: {@code {"feedback": [{"prediction_id", "model", "model_version", "ab_test_id", "variant", "predicted",
 * "label", "reward", "predicted_at", "received_at"}]}}, times as ISO-8601 instants, absent values left out.
 */
@Component
class MonitoringForwarder implements SmartLifecycle {

	static final int BATCH = 500;

	private static final Logger logger = LoggerFactory.getLogger(MonitoringForwarder.class);

	private final RouterProperties.Monitoring settings;

	private final WebClient web;

	private final ConcurrentLinkedQueue<RecordedFeedback> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waitingCount = new AtomicInteger();

	private final Counter forwarded;

	private final Counter dropped;

	private final RepeatingTask sending;

	MonitoringForwarder(RouterProperties properties, MeterRegistry meters) {
		this.settings = properties.monitoring();
		this.web = WebClient.builder().baseUrl(settings.url().toString().replaceAll("/+$", "")).build();
		this.forwarded = Counter.builder("flywheel_router_feedback_forwarded")
			.description("Feedback events forwarded to monitoring")
			.register(meters);
		this.dropped = Counter.builder("flywheel_router_feedback_forward_dropped")
			.description("Feedback events dropped because too many waited for monitoring")
			.register(meters);
		this.sending = RepeatingTask.every(Duration.ofSeconds(1), "Forwarding feedback to monitoring", this::send);
	}

	void forward(List<RecordedFeedback> feedback) {
		if (!settings.enabled()) {
			return;
		}
		for (RecordedFeedback event : feedback) {
			waiting.add(event);
			if (waitingCount.incrementAndGet() > settings.buffer() && waiting.poll() != null) {
				waitingCount.decrementAndGet();
				dropped.increment();
			}
		}
	}

	/** Sends what waits, batch after batch, until a batch fails or nothing waits. */
	Mono<Void> send() {
		return Mono.defer(() -> {
			List<RecordedFeedback> batch = new ArrayList<>();
			for (RecordedFeedback event; batch.size() < BATCH && (event = waiting.peek()) != null;) {
				batch.add(event);
				waiting.poll();
			}
			if (batch.isEmpty()) {
				return Mono.empty();
			}
			return web.post()
				.uri("/api/v1/feedback")
				.bodyValue(Map.of("feedback", batch.stream().map(MonitoringForwarder::json).toList()))
				.retrieve()
				.toBodilessEntity()
				.timeout(settings.timeout())
				.then(Mono.fromRunnable(() -> {
					waitingCount.addAndGet(-batch.size());
					forwarded.increment(batch.size());
				}))
				.onErrorResume(ex -> {
					logger.warn("Forwarding {} feedback events to monitoring at {} failed (kept, {} waiting): {}",
							batch.size(), settings.url(), waitingCount.get(), ex.toString());
					// put the batch back (the oldest first again is not needed: monitoring keys feedback by id)
					waiting.addAll(batch);
					return Mono.error(ex);
				})
				.then(Mono.defer(this::send));
		});
	}

	private static Map<String, Object> json(RecordedFeedback event) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("prediction_id", event.predictionId());
		json.put("model", event.model());
		putIfSet(json, "model_version", event.modelVersion());
		putIfSet(json, "ab_test_id", event.abTestId());
		putIfSet(json, "variant", event.variant());
		putIfSet(json, "predicted", event.predicted());
		putIfSet(json, "label", event.label());
		putIfSet(json, "reward", event.reward());
		json.put("predicted_at", Instant.ofEpochMilli(event.predictedAt()).toString());
		json.put("received_at", Instant.ofEpochMilli(event.receivedAt()).toString());
		return json;
	}

	private static void putIfSet(Map<String, Object> json, String name, Object value) {
		if (value != null) {
			json.put(name, value);
		}
	}

	@Override
	public void start() {
		sending.start();
	}

	@Override
	public void stop() {
		sending.stop();
	}

	@Override
	public boolean isRunning() {
		return sending.isRunning();
	}

}
