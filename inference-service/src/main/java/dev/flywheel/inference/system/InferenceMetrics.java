package dev.flywheel.inference.system;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The service's own meters, named after Triton's and TorchServe's so that their dashboards port over. In Prometheus:
 * <ul>
 * <li>{@code inference_requests_total{model,version,outcome}}: requests by outcome (success, bad_request, not_found,
 * unavailable, error)</li>
 * <li>{@code inference_request_duration_seconds}, {@code inference_queue_duration_seconds},
 * {@code inference_compute_duration_seconds}: histograms by model and version</li>
 * <li>{@code inference_batch_rows}: rows per model call, by model and version</li>
 * <li>{@code inference_loaded_versions{model}} and {@code inference_model_load_duration_seconds{model}}</li>
 * <li>{@code inference_model_load_failures_total{model}}</li>
 * <li>{@code inference_prediction_log_dropped_total} and {@code inference_prediction_log_sent_total}</li>
 * </ul>
 * Meters are looked up once per model version and kept, so the request path only increments them.
 */
@Component
public class InferenceMetrics {

	private static final Duration MIN_LATENCY = Duration.ofMillis(0).plusNanos(50_000);

	private static final Duration MAX_LATENCY = Duration.ofSeconds(10);

	private final MeterRegistry registry;

	private final Map<String, VersionMeters> versions = new ConcurrentHashMap<>();

	private final Counter logDropped;

	private final Counter logSent;

	public InferenceMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.logDropped = Counter.builder("inference.prediction.log.dropped")
			.description("Predictions (rows) the prediction log dropped because its buffer was full or monitoring failed")
			.register(registry);
		this.logSent = Counter.builder("inference.prediction.log.sent")
			.description("Predictions (rows) of the prediction log that monitoring accepted")
			.register(registry);
	}

	/** The meters of one model version (or of a request that named no servable version: version "none"). */
	public VersionMeters of(String model, String version) {
		return versions.computeIfAbsent(model + "\u0000" + version, key -> new VersionMeters(registry, model, version));
	}

	public void loaded(String model, Duration loadTime) {
		Timer.builder("inference.model.load.duration")
			.description("Time to fetch, restore and warm up a model version")
			.tag("model", model)
			.register(registry)
			.record(loadTime);
	}

	public void loadFailed(String model) {
		loadFailures(model).increment();
	}

	private Counter loadFailures(String model) {
		return Counter.builder("inference.model.load.failures")
			.description("Model versions that failed to fetch, verify or load (the previous version kept serving)")
			.tag("model", model)
			.register(registry);
	}

	/**
	 * Registers the gauge of loaded versions of {@code model}, read from {@code state}, and its load failures counter
	 * at 0 (so that a dashboard or an alert sees the series before the first failure).
	 */
	public <T> void loadedVersions(String model, T state, ToDoubleFunction<T> count) {
		loadFailures(model);
		Gauge.builder("inference.loaded.versions", state, count)
			.description("Model versions loaded in memory, in flight ones included")
			.tag("model", model)
			.register(registry);
	}

	public void logDropped(int rows) {
		logDropped.increment(rows);
	}

	public void logSent(int rows) {
		logSent.increment(rows);
	}

	public double logDroppedCount() {
		return logDropped.count();
	}

	/** The meters of one model version. */
	public static final class VersionMeters {

		private final MeterRegistry registry;

		private final String model;

		private final String version;

		private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

		private final Timer request;

		private final Timer queue;

		private final Timer compute;

		private final DistributionSummary batchRows;

		VersionMeters(MeterRegistry registry, String model, String version) {
			this.registry = registry;
			this.model = model;
			this.version = version;
			this.request = timer("inference.request.duration", "Time from a request's arrival to its answer");
			this.queue = timer("inference.queue.duration", "Time a request waited for its batch to start");
			this.compute = timer("inference.compute.duration", "Time the model took to compute a request's batch");
			this.batchRows = DistributionSummary.builder("inference.batch.rows")
				.description("Rows computed in one model call")
				.tags("model", model, "version", version)
				.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
				.register(registry);
		}

		public void outcome(String outcome) {
			outcomes.computeIfAbsent(outcome, name -> Counter.builder("inference.requests")
				.description("Prediction requests by model, version and outcome")
				.tags("model", model, "version", version, "outcome", name)
				.register(registry)).increment();
		}

		public void request(long nanos) {
			request.record(nanos, TimeUnit.NANOSECONDS);
		}

		public void queue(long nanos) {
			queue.record(nanos, TimeUnit.NANOSECONDS);
		}

		public void compute(long nanos) {
			compute.record(nanos, TimeUnit.NANOSECONDS);
		}

		public void batch(int rows) {
			batchRows.record(rows);
		}

		private Timer timer(String name, String description) {
			return Timer.builder(name)
				.description(description)
				.tags("model", model, "version", version)
				.publishPercentileHistogram()
				.minimumExpectedValue(MIN_LATENCY)
				.maximumExpectedValue(MAX_LATENCY)
				.register(registry);
		}

	}

}
