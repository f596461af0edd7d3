package dev.flywheel.monitoring.drifting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.monitoring.drift.DriftDetector;
import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.drift.DriftThresholds;
import dev.flywheel.monitoring.drift.FeatureDrift;
import dev.flywheel.monitoring.drift.LiveWindow;
import dev.flywheel.monitoring.predictions.PredictionLogStore;
import dev.flywheel.monitoring.reference.References;
import dev.flywheel.monitoring.reference.VersionKey;
import dev.flywheel.monitoring.system.MonitoringProperties;
import dev.flywheel.support.RepeatingTask;

/**
 * Judges every version's sliding window ({@code flywheel.monitoring.drift-window}, the predictions made in the last
 * that long) against its reference profile every {@code flywheel.monitoring.drift-interval}, keeps the latest
 * judgement for the API and publishes it as gauges. At start, before the web server takes posts, the windows are
 * counted again from the stored prediction log, so a restart loses nothing of them.
 */
@Component
public class DriftMonitor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DriftMonitor.class);

	private final LiveTraffic live;

	private final References references;

	private final PredictionLogStore predictions;

	private final MeterRegistry meters;

	private final Clock clock;

	private final MonitoringProperties properties;

	private final Map<VersionKey, Evaluation> latest = new ConcurrentHashMap<>();

	private final Set<VersionKey> featureGauges = ConcurrentHashMap.newKeySet();

	private final RepeatingTask judging;

	private final Timer evaluationTimer;

	private final ObjectProvider<DriftListener> listeners;

	private volatile boolean running;

	DriftMonitor(LiveTraffic live, References references, PredictionLogStore predictions, MeterRegistry meters,
			Clock clock, MonitoringProperties properties, ObjectProvider<DriftListener> listeners) {
		this.listeners = listeners;
		this.live = live;
		this.references = references;
		this.predictions = predictions;
		this.meters = meters;
		this.clock = clock;
		this.properties = properties;
		this.judging = RepeatingTask.every(properties.driftInterval(), "Judging drift", this::evaluate);
		this.evaluationTimer = Timer.builder("flywheel_monitoring_drift_evaluation")
			.description("Time to sum a version's window and judge it")
			.register(meters);
	}

	/** Judges every version's window now. */
	public Mono<Void> evaluate() {
		return Flux.fromIterable(live.versions().entrySet())
			.concatMap(entry -> evaluate(entry.getKey(), entry.getValue()))
			.then();
	}

	private Mono<Evaluation> evaluate(VersionKey version, VersionTraffic traffic) {
		Mono<Boolean> profiled = traffic.hasProfile() ? Mono.just(true)
				: references.of(version)
					.doOnNext(reference -> traffic.profileKnown(reference.profile()))
					.map(reference -> true)
					.defaultIfEmpty(false);
		return profiled.map(known -> {
			long to = clock.millis() + 1;
			long from = to - properties.driftWindow().toMillis();
			DriftReport report = null;
			long started = System.nanoTime();
			if (known) {
				DriftDetector detector = new DriftDetector(references.known(version).profile(), DriftThresholds.DEFAULTS);
				report = detector.judge(traffic.window(from, to));
			}
			Evaluation evaluation = new Evaluation(version, report, known ? null : references.failure(version), from,
					to, clock.millis(), traffic.pendingRows(), System.nanoTime() - started);
			evaluationTimer.record(evaluation.nanos(), TimeUnit.NANOSECONDS);
			if (latest.put(version, evaluation) == null) {
				registerGauges(version);
			}
			if (report != null) {
				DriftReport judged = report;
				listeners.orderedStream().forEach(listener -> listener.judged(version, judged));
			}
			if (report != null && featureGauges.add(version)) {
				report.features().forEach(feature -> registerFeatureGauges(version, feature.name()));
			}
			return evaluation;
		});
	}

	/** The latest judgements of a model's versions. */
	Map<VersionKey, Evaluation> latest() {
		return latest;
	}

	/**
	 * A version's window now, on its reference profile's bins, with the reference and the latest judgement.
	 *
	 * @param window the live counts, or null while the reference is not known
	 * @param report the latest judgement's report, or null
	 */
	public record VersionWindow(String version, ReferenceProfile reference, LiveWindow window, DriftReport report) {
	}

	/** The windows of a model's versions, in version order. */
	public List<VersionWindow> windows(String model) {
		long to = clock.millis() + 1;
		long from = to - properties.driftWindow().toMillis();
		List<VersionWindow> windows = new ArrayList<>();
		live.versions().entrySet().stream()
			.filter(entry -> entry.getKey().model().equals(model))
			.sorted(Map.Entry.comparingByKey(Comparator.comparing(VersionKey::version)))
			.forEach(entry -> {
				References.Reference reference = references.known(entry.getKey());
				Evaluation evaluation = latest.get(entry.getKey());
				windows.add(new VersionWindow(entry.getKey().version(), reference == null ? null : reference.profile(),
						reference == null ? null : entry.getValue().window(from, to),
						evaluation == null ? null : evaluation.report()));
			});
		return windows;
	}

	private void registerGauges(VersionKey version) {
		Tags tags = Tags.of("model", version.model(), "version", version.version());
		Gauge.builder("flywheel_monitoring_dataset_drift_share", latest, l -> report(l, version, DriftReport::driftShare))
			.tags(tags)
			.description("The share of the judged features that drifted in the latest window")
			.register(meters);
		Gauge.builder("flywheel_monitoring_drift_alarm", latest, l -> report(l, version, r -> r.alarm() ? 1 : 0))
			.tags(tags)
			.description("1 when the latest window raised the drift alarm")
			.register(meters);
		Gauge.builder("flywheel_monitoring_prediction_drift_psi", latest,
				l -> report(l, version, r -> r.predictions().psi()))
			.tags(tags)
			.description("PSI of the predictions in the latest window against the held-out predictions")
			.register(meters);
	}

	private void registerFeatureGauges(VersionKey version, String feature) {
		Tags tags = Tags.of("model", version.model(), "version", version.version(), "feature", feature);
		for (String measure : new String[] { "psi", "normalized_wasserstein", "js_distance" }) {
			Gauge.builder("flywheel_monitoring_feature_drift", latest,
					l -> report(l, version, r -> measure(r.feature(feature), measure)))
				.tags(tags.and("measure", measure))
				.description("A drift measure of the feature in the latest window (NaN where it does not apply)")
				.register(meters);
		}
	}

	private static double measure(FeatureDrift feature, String measure) {
		if (feature == null) {
			return Double.NaN;
		}
		return switch (measure) {
			case "psi" -> feature.psi();
			case "normalized_wasserstein" -> feature.normalizedWasserstein();
			default -> feature.jensenShannonDistance();
		};
	}

	private static double report(Map<VersionKey, Evaluation> latest, VersionKey version,
			ToDoubleFunction<DriftReport> value) {
		Evaluation evaluation = latest.get(version);
		return evaluation == null || evaluation.report() == null ? Double.NaN
				: value.applyAsDouble(evaluation.report());
	}

	@Override
	public void start() {
		long from = clock.millis() - properties.driftWindow().toMillis();
		try {
			Long rows = predictions.predictedSince(from)
				.buffer(1000)
				.doOnNext(live::add)
				.map(batch -> (long) batch.size())
				.reduce(0L, Long::sum)
				.block(properties.databaseTimeout().plus(Duration.ofSeconds(5)));
			logger.info("Counted {} stored predictions of the last {} into the drift windows", rows,
					properties.driftWindow());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not count the stored predictions into the drift windows: {}", ex.toString());
		}
		judging.start();
		running = true;
	}

	@Override
	public void stop() {
		judging.stop();
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Counts the stored window before the web server takes posts, so that no row is counted twice. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
