package dev.flywheel.monitoring.ingest;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.system.MonitoringProperties;

/**
 * Bounds the rows being stored at once ({@code flywheel.monitoring.rows-in-flight}): a post that would go over is shed
 * whole, before any of it is stored, and its rows are counted in
 * {@code flywheel_monitoring_ingest_dropped_rows_total{source}}. A burst therefore costs at most that many rows of
 * memory, and the sender (the inference service's prediction log, the router's forwarder) is told to come back later.
 */
@Component
public class IngestGate {

	private final int capacity;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final MeterRegistry meters;

	/** The prediction log's posts (from the inference service). */
	public static final String PREDICTIONS = "predictions";

	/** The feedback's posts (from the router). */
	public static final String FEEDBACK = "feedback";

	public IngestGate(MonitoringProperties properties, MeterRegistry meters) {
		this.capacity = properties.rowsInFlight();
		this.meters = meters;
		Gauge.builder("flywheel_monitoring_ingest_rows_in_flight", inFlight, AtomicInteger::get)
			.description("Rows being stored now")
			.register(meters);
		// every counter of every source from the start, at 0: a dashboard or an alert reading one sees a series
		// before the first row stored, repeated or shed
		for (String source : List.of(PREDICTIONS, FEEDBACK)) {
			dropped(source);
			stored(source);
			duplicates(source);
		}
	}

	/** The rows being stored now. */
	public int rowsInFlight() {
		return inFlight.get();
	}

	/**
	 * Runs {@code store} for {@code rows} rows of {@code source} if they fit (a post larger than the whole capacity is
	 * taken only when nothing else is in flight), else fails with {@link OverCapacityException}; counts what was
	 * stored ({@code flywheel_monitoring_ingested_rows_total{source}}) and what was there already
	 * ({@code flywheel_monitoring_duplicate_rows_total{source}}).
	 */
	public Mono<IngestReport> admit(String source, int rows, Supplier<Mono<IngestReport>> store) {
		return Mono.defer(() -> {
			if (!tryAcquire(rows)) {
				dropped(source).increment(rows);
				return Mono.error(new OverCapacityException("Monitoring is storing " + capacity + " rows already "
						+ "(flywheel.monitoring.rows-in-flight); " + rows + " rows of " + source
						+ " were not taken, send them again later"));
			}
			return store.get().doFinally(signal -> inFlight.addAndGet(-rows)).doOnNext(report -> {
				stored(source).increment(report.stored());
				duplicates(source).increment(report.duplicates());
			});
		});
	}

	private boolean tryAcquire(int rows) {
		while (true) {
			int now = inFlight.get();
			if (now + rows > capacity && now > 0) {
				return false;
			}
			if (inFlight.compareAndSet(now, now + rows)) {
				return true;
			}
		}
	}

	private Counter dropped(String source) {
		return counter("flywheel_monitoring_ingest_dropped_rows", source,
				"Rows shed because too many were being stored at once");
	}

	private Counter stored(String source) {
		return counter("flywheel_monitoring_ingested_rows", source, "Rows stored");
	}

	private Counter duplicates(String source) {
		return counter("flywheel_monitoring_duplicate_rows", source,
				"Rows posted again for an id already stored (the first is kept)");
	}

	private Counter counter(String name, String source, String description) {
		return Counter.builder(name).tag("source", source).description(description).register(meters);
	}

}
