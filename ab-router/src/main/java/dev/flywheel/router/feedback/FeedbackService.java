package dev.flywheel.router.feedback;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import dev.flywheel.router.routing.TrafficRecorder;
import dev.flywheel.support.RepeatingTask;
import dev.flywheel.router.system.RouterProperties;

/**
 * Takes feedback: writes this router's pending predictions first (so that feedback right after a prediction finds
 * it), records the feedback, and forwards what was accepted to monitoring. Predictions older than twice the feedback
 * window are forgotten once an hour.
 */
@Service
class FeedbackService implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(FeedbackService.class);

	private final FeedbackStore store;

	private final TrafficRecorder traffic;

	private final MonitoringForwarder monitoring;

	private final Clock clock;

	private final Duration window;

	private final MeterRegistry meters;

	private final RepeatingTask forgetting;

	FeedbackService(FeedbackStore store, TrafficRecorder traffic, MonitoringForwarder monitoring, Clock clock,
			RouterProperties properties, MeterRegistry meters) {
		this.store = store;
		this.traffic = traffic;
		this.monitoring = monitoring;
		this.clock = clock;
		this.window = properties.router().feedbackWindow();
		this.meters = meters;
		this.forgetting = RepeatingTask.every(Duration.ofHours(1), Duration.ofMinutes(1), "Forgetting old predictions",
				() -> store.forget(clock.millis() - 2 * window.toMillis())
					.doOnNext(forgotten -> logger.info("Forgot {} predictions older than twice the feedback window ({})",
							forgotten, window)));
	}

	Mono<FeedbackReport> take(List<Feedback> feedback) {
		return traffic.flush()
			.onErrorResume(ex -> Mono.empty())
			.then(Mono.defer(() -> store.record(feedback, clock.millis(), window.toMillis())))
			.doOnNext(result -> {
				monitoring.forward(result.recorded());
				count("accepted", result.report().accepted());
				count("already_recorded", result.report().alreadyRecorded());
				count("unknown", result.report().unknown().size());
				count("expired", result.report().expired().size());
				count("conflicting", result.report().conflicting().size());
			})
			.map(FeedbackStore.Result::report);
	}

	private void count(String outcome, int events) {
		if (events > 0) {
			Counter.builder("flywheel_router_feedback")
				.description("Feedback events received, by what became of them")
				.tag("outcome", outcome)
				.register(meters)
				.increment(events);
		}
	}

	@Override
	public void start() {
		forgetting.start();
	}

	@Override
	public void stop() {
		forgetting.stop();
	}

	@Override
	public boolean isRunning() {
		return forgetting.isRunning();
	}

}
