package dev.flywheel.monitoring.retraining;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.drifting.DriftListener;
import dev.flywheel.monitoring.quality.QualityGauges;
import dev.flywheel.monitoring.quality.QualityJudge;
import dev.flywheel.monitoring.quality.QualityVerdict;
import dev.flywheel.monitoring.quality.VersionQuality;
import dev.flywheel.monitoring.reference.VersionKey;
import dev.flywheel.monitoring.system.MonitoringProperties;
import dev.flywheel.support.RepeatingTask;

/**
 * The automatic retraining triggers of each model ({@link RetrainingProperties#triggersOf}), each going through the
 * controller's rules like a manual one:
 * <ul>
 * <li><b>drift</b>: a version's drift alarm held in k of its last n judged windows ({@link Hysteresis}: once, then
 * again only after a window without the alarm). The window slides every {@code drift-interval}, so consecutive
 * judgements overlap; a version's judgement counts here only once its window has turned over since the last one
 * counted ({@code drift-window}), so that k of n means k of n windows of fresh data;</li>
 * <li><b>quality</b>: a version's live quality over the last seven days {@code dropped} under its held-out accuracy
 * (once, then again only after it is {@code ok});</li>
 * <li><b>new labels</b>: that many labelled predictions arrived since the model's last job;</li>
 * <li><b>schedule</b>: that long since the model's last job (or its first prediction).</li>
 * </ul>
 * With {@code min-labels}, a drift, quality or schedule trigger waits, pending, until that many labelled predictions
 * arrived since the model's last job: a retraining started the moment drift is seen learns only from the labels that
 * have come by then.
 * Drift is looked at as each window is judged; the others every {@code trigger-interval}, which also publishes each
 * version's live quality as gauges ({@link QualityGauges}).
 */
@Component
class AutomaticTriggers implements DriftListener, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AutomaticTriggers.class);

	private static final Duration QUALITY_WINDOW = Duration.ofDays(7);

	private final RetrainingController controller;

	private final RetrainingProperties properties;

	private final QualityJudge quality;

	private final TriggerData data;

	private final QualityGauges gauges;

	private final JobStore jobs;

	private final Clock clock;

	private final Map<VersionKey, Hysteresis> drift = new ConcurrentHashMap<>();

	private final Map<VersionKey, Hysteresis> qualityDrops = new ConcurrentHashMap<>();

	private final Map<VersionKey, Long> lastDriftLook = new ConcurrentHashMap<>();

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/** A trigger that fired and waits for labels. */
	private record Pending(TriggerReason reason, String why) {
	}

	private final long driftWindowMillis;

	private final RepeatingTask looking;

	AutomaticTriggers(RetrainingController controller, RetrainingProperties properties, QualityJudge quality,
			TriggerData data, JobStore jobs, Clock clock, MonitoringProperties monitoring, QualityGauges gauges) {
		this.gauges = gauges;
		this.driftWindowMillis = monitoring.driftWindow().toMillis();
		this.controller = controller;
		this.properties = properties;
		this.quality = quality;
		this.data = data;
		this.jobs = jobs;
		this.clock = clock;
		this.looking = RepeatingTask.every(properties.triggerInterval(), "Looking at the retraining triggers",
				this::look);
	}

	@Override
	public void judged(VersionKey version, DriftReport report) {
		RetrainingProperties.Triggers triggers = properties.triggersOf(version.model());
		if (!triggers.drift() || (report.judgedFeatures() == 0 && !report.predictions().isJudged())) {
			return;
		}
		long now = clock.millis();
		Long last = lastDriftLook.get(version);
		if (last != null && now - last < driftWindowMillis) {
			return;
		}
		lastDriftLook.put(version, now);
		Hysteresis hysteresis = drift.computeIfAbsent(version,
				key -> new Hysteresis(triggers.driftWindows(), triggers.driftOf()));
		if (hysteresis.look(report.alarm())) {
			fire(version.model(), TriggerReason.DRIFT, "the drift alarm of version " + version.version() + " held in "
					+ triggers.driftWindows() + " of its last " + triggers.driftOf() + " windows");
		}
	}

	/** Looks at the quality, new-label and schedule triggers of every model with recent predictions. */
	Mono<Void> look() {
		long now = clock.millis();
		return data.modelsSince(now - QUALITY_WINDOW.toMillis())
			.flatMapMany(Flux::fromIterable)
			.concatMap(model -> lookAt(model, now))
			.then();
	}

	private Mono<Void> lookAt(String model, long now) {
		RetrainingProperties.Triggers triggers = properties.triggersOf(model);
		Mono<Void> qualityLook = quality.judge(model, now - QUALITY_WINDOW.toMillis(), now + 1)
			.doOnNext(versions -> gauges.update(model, versions))
			.doOnNext(versions -> versions.forEach(version -> lookAtQuality(model, triggers, version)))
			.then();
		Mono<Void> sinceLastJob = jobs.lastRequested(model)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(last -> {
				Mono<Void> labels = triggers.newLabels() <= 0 ? Mono.empty()
						: data.labelsSince(model, last.orElse(0L)).doOnNext(count -> {
							if (count >= triggers.newLabels()) {
								fire(model, TriggerReason.NEW_LABELS, count + " labelled predictions since the last job");
							}
						}).then();
				Mono<Void> schedule = triggers.schedule().isZero() ? Mono.empty()
						: (last.isPresent() ? Mono.just(last.get()) : data.firstPrediction(model)).doOnNext(since -> {
							if (now - since >= triggers.schedule().toMillis()) {
								fire(model, TriggerReason.SCHEDULE, "the schedule of every " + triggers.schedule()
										+ " came due");
							}
						}).then();
				return labels.then(schedule);
			});
		Pending waiting = pending.get(model);
		Mono<Void> pendingLook = waiting == null ? Mono.empty()
				: Mono.fromRunnable(() -> fire(model, waiting.reason(), waiting.why()));
		return qualityLook.then(sinceLastJob).then(pendingLook).onErrorResume(ex -> {
			logger.warn("Looking at the retraining triggers of {} failed: {}", model, ex.toString());
			return Mono.empty();
		});
	}

	/** A quality verdict counts only when there was something to judge against and enough labelled rows. */
	private void lookAtQuality(String model, RetrainingProperties.Triggers triggers, VersionQuality version) {
		if (!triggers.quality() || version.verdict() == null || version.verdict() == QualityVerdict.INSUFFICIENT) {
			return;
		}
		Hysteresis hysteresis = qualityDrops.computeIfAbsent(new VersionKey(model, version.version()),
				key -> new Hysteresis(1, 1));
		if (hysteresis.look(version.verdict() == QualityVerdict.DROPPED)) {
			fire(model, TriggerReason.QUALITY, "the live accuracy of version " + version.version()
					+ " dropped under its held-out accuracy");
		}
	}

	private void fire(String model, TriggerReason reason, String why) {
		long minLabels = properties.triggersOf(model).minLabels();
		Mono<Long> labels = minLabels <= 0 || reason == TriggerReason.NEW_LABELS ? Mono.just(Long.MAX_VALUE)
				: jobs.lastRequested(model).defaultIfEmpty(0L).flatMap(since -> data.labelsSince(model, since));
		labels.flatMap(count -> {
			if (count < minLabels) {
				if (pending.put(model, new Pending(reason, why)) == null) {
					logger.info("Retraining trigger {} for {} ({}) waits for labels: {} of {} since the last job",
							reason, model, why, count, minLabels);
				}
				return Mono.empty();
			}
			pending.remove(model);
			logger.info("Retraining trigger {} for {}: {}", reason, model, why);
			return controller.trigger(model, reason, false);
		}).subscribe(result -> {
		}, ex -> logger.warn("The {} trigger of {} failed: {}", reason, model, ex.toString()));
	}

	@Override
	public void start() {
		looking.start();
	}

	@Override
	public void stop() {
		looking.stop();
	}

	@Override
	public boolean isRunning() {
		return looking.isRunning();
	}

}
