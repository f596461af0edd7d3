package dev.flywheel.inference.predictionlog;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.inference.predictionlog.PredictionRecords.Logged;
import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * Ships every prediction to monitoring ({@code POST <monitoring>/api/v1/predictions}), in batches, from a thread of its
 * own. A request only puts its prediction in a buffer bounded in rows (one request may hold thousands), which never
 * waits: when monitoring is slow or down and the buffer is full, predictions are dropped and counted
 * ({@code inference_prediction_log_dropped_total}, in rows) rather than delayed. A post monitoring refuses or does not
 * answer within the timeout is dropped and counted too, and the shipper backs off (doubling up to 30 s) before it
 * tries again. The body of a post is written by {@link PredictionRecords}.
 */
@Component
public class PredictionLog implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PredictionLog.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final InferenceProperties.PredictionLog settings;

	private final URI endpoint;

	private final InferenceMetrics metrics;

	private final BlockingQueue<Logged> buffer;

	/** Rows in the buffer: what bounds it, since one prediction may hold thousands of rows. */
	private final AtomicInteger buffered = new AtomicInteger();

	private final HttpClient http;

	private volatile Thread shipper;

	public PredictionLog(InferenceProperties properties, InferenceMetrics metrics) {
		this.settings = properties.inference().predictionLog();
		this.endpoint = URI.create(properties.monitoring().url().toString().replaceAll("/+$", "") + "/api/v1/predictions");
		this.metrics = metrics;
		this.buffer = new ArrayBlockingQueue<>(settings.bufferCapacity());
		this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
	}

	/** Hands a prediction over for shipping; never blocks. */
	public void offer(Prediction prediction, String variant, long latencyNanos) {
		if (!settings.enabled()) {
			return;
		}
		int rows = prediction.count();
		if (buffered.addAndGet(rows) > settings.bufferCapacity()
				|| !buffer.offer(new Logged(prediction, variant, latencyNanos, Instant.now()))) {
			buffered.addAndGet(-rows);
			metrics.logDropped(rows);
		}
	}

	@Override
	public void start() {
		if (settings.enabled()) {
			shipper = new Thread(this::shipUntilStopped, "prediction-log");
			shipper.setDaemon(true);
			shipper.start();
		}
	}

	@Override
	public void stop() {
		Thread thread = shipper;
		shipper = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return shipper != null;
	}

	/**
	 * Gathers what the buffer holds, up to {@code batch-size} rows or for at most {@code flush-interval} after the first
	 * prediction, and posts it as one body. A prediction that would take a batch over {@code batch-size} rows starts
	 * the next one (so a single request of more rows than that goes alone).
	 */
	private void shipUntilStopped() {
		Duration backoff = Duration.ZERO;
		List<Logged> batch = new ArrayList<>();
		Logged carried = null;
		while (shipper != null) {
			try {
				if (!backoff.isZero()) {
					Thread.sleep(backoff.toMillis());
				}
				Logged first = carried != null ? carried
						: buffer.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
				carried = null;
				if (first == null) {
					continue;
				}
				batch.add(first);
				int rows = first.rows();
				long deadline = System.nanoTime() + settings.flushInterval().toNanos();
				while (rows < settings.batchSize()) {
					Logged next = buffer.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					if (next == null) {
						break;
					}
					if (rows + next.rows() > settings.batchSize()) {
						carried = next;
						break;
					}
					batch.add(next);
					rows += next.rows();
				}
				buffered.addAndGet(-rows);
				backoff = post(batch, rows) ? Duration.ZERO
						: backoff.isZero() ? Duration.ofMillis(500) : min(backoff.multipliedBy(2), MAX_BACKOFF);
				batch.clear();
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private boolean post(List<Logged> batch, int rows) throws InterruptedException {
		try {
			HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint)
				.timeout(settings.timeout())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(PredictionRecords.body(batch)))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 == 2) {
				metrics.logSent(rows);
				return true;
			}
			logger.warn("Monitoring at {} refused {} logged predictions with HTTP {}; dropped", endpoint, rows,
					response.statusCode());
		}
		catch (java.io.IOException | RuntimeException ex) {
			logger.warn("Cannot ship {} logged predictions to monitoring at {}; dropped: {}", rows, endpoint,
					ex.toString());
		}
		metrics.logDropped(rows);
		return false;
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

}
