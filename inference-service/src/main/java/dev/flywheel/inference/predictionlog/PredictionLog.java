package dev.flywheel.inference.predictionlog;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * Ships every prediction to monitoring ({@code POST <monitoring>/api/v1/predictions}), in batches, from a thread of its
 * own. A request only puts its prediction in a buffer bounded in records (rows, since one prediction may hold
 * thousands), which never waits: when monitoring is slow or down and the buffer is full, predictions are dropped and
 * counted ({@code inference_prediction_log_dropped_total}) rather than delayed. A batch monitoring refuses or does not
 * answer within the timeout is dropped and counted too, and the shipper backs off (doubling up to 30 s) before it tries
 * again.
 * <p>
 * Each record: {@code prediction_id, model, version, variant, features {name: value}, outputs {label, probabilities
 * {class: p}} (or {@code values} for a regression), latency_ms, timestamp}.
 */
@Component
public class PredictionLog implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PredictionLog.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private record Entry(Prediction prediction, String variant, long latencyNanos, Instant timestamp) {
	}

	private final InferenceProperties.PredictionLog settings;

	private final URI endpoint;

	private final InferenceMetrics metrics;

	private final BlockingQueue<Entry> buffer;

	/** Records (rows) in the buffer: what bounds it, since one prediction may hold thousands of rows. */
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
		int records = prediction.count();
		if (buffered.addAndGet(records) > settings.bufferCapacity()
				|| !buffer.offer(new Entry(prediction, variant, latencyNanos, Instant.now()))) {
			buffered.addAndGet(-records);
			metrics.logDropped(records);
		}
	}

	@Override
	public void start() {
		if (settings.enabled()) {
			shipper = new Thread(this::ship, "prediction-log");
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

	private void ship() {
		Duration backoff = Duration.ZERO;
		List<Entry> batch = new ArrayList<>();
		while (shipper != null) {
			try {
				if (!backoff.isZero()) {
					Thread.sleep(backoff.toMillis());
				}
				Entry first = buffer.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				int records = taken(first);
				long deadline = System.nanoTime() + settings.flushInterval().toNanos();
				while (records < settings.batchSize()) {
					Entry next = buffer.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					if (next == null) {
						break;
					}
					batch.add(next);
					records += taken(next);
				}
				backoff = post(batch, records) ? Duration.ZERO
						: backoff.isZero() ? Duration.ofMillis(500) : min(backoff.multipliedBy(2), MAX_BACKOFF);
				batch.clear();
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** The records of an entry just taken from the buffer, which no longer counts them. */
	private int taken(Entry entry) {
		int records = entry.prediction().count();
		buffered.addAndGet(-records);
		return records;
	}

	private boolean post(List<Entry> batch, int records) throws InterruptedException {
		try {
			byte[] body = JSON.writeValueAsBytes(Map.of("predictions", records(batch)));
			HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint)
				.timeout(settings.timeout())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 == 2) {
				metrics.logSent(records);
				return true;
			}
			logger.warn("Monitoring at {} refused {} prediction records with HTTP {}; dropped", endpoint, records,
					response.statusCode());
		}
		catch (java.io.IOException | RuntimeException ex) {
			logger.warn("Cannot ship {} prediction records to monitoring at {}; dropped: {}", records, endpoint,
					ex.toString());
		}
		metrics.logDropped(records);
		return false;
	}

	private static List<Map<String, Object>> records(List<Entry> batch) {
		List<Map<String, Object>> records = new ArrayList<>();
		for (Entry entry : batch) {
			Prediction prediction = entry.prediction();
			List<String> names = prediction.rows().schema().featureNames();
			for (int row = 0; row < prediction.count(); row++) {
				Map<String, Object> features = new LinkedHashMap<>();
				for (int f = 0; f < names.size(); f++) {
					features.put(names.get(f), prediction.rows().raw()[row][f]);
				}
				Map<String, Object> record = new LinkedHashMap<>();
				record.put("prediction_id", prediction.predictionIds().get(row));
				record.put("model", prediction.model());
				record.put("version", prediction.version());
				if (entry.variant() != null) {
					record.put("variant", entry.variant());
				}
				record.put("features", features);
				record.put("outputs", outputs(prediction, row));
				record.put("latency_ms", entry.latencyNanos() / 1e6);
				record.put("timestamp", entry.timestamp().toString());
				records.add(record);
			}
		}
		return records;
	}

	private static Map<String, Object> outputs(Prediction prediction, int row) {
		Map<String, Object> outputs = new LinkedHashMap<>();
		if (prediction.isClassification()) {
			outputs.put("label", prediction.label(row));
			Map<String, Object> probabilities = new LinkedHashMap<>();
			for (int c = 0; c < prediction.width(); c++) {
				probabilities.put(prediction.classes().get(c), prediction.output(row, c));
			}
			outputs.put("probabilities", probabilities);
		}
		else {
			List<Float> values = new ArrayList<>();
			for (int c = 0; c < prediction.width(); c++) {
				values.add(prediction.output(row, c));
			}
			outputs.put("values", values);
		}
		return outputs;
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

}
