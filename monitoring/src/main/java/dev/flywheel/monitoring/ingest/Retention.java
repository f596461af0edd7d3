package dev.flywheel.monitoring.ingest;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.system.MonitoringProperties;
import dev.flywheel.support.Database;
import dev.flywheel.support.RepeatingTask;

/**
 * Deletes logged predictions and feedback predicted longer ago than {@code flywheel.monitoring.retention}, every
 * {@code flywheel.monitoring.retention-interval} (and once at start), counting the rows in
 * {@code flywheel_monitoring_retention_deleted_rows_total{table}}.
 */
@Component
public class Retention implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Retention.class);

	private static final String[] TABLES = { "logged_prediction", "feedback" };

	private final Database database;

	private final Clock clock;

	private final MonitoringProperties properties;

	private final MeterRegistry meters;

	private final RepeatingTask purging;

	Retention(Database database, Clock clock, MonitoringProperties properties, MeterRegistry meters) {
		this.database = database;
		this.clock = clock;
		this.properties = properties;
		this.meters = meters;
		this.purging = RepeatingTask.every(properties.retentionInterval(), Duration.ZERO,
				"Deleting rows past the retention", this::purge);
	}

	/** Deletes what is past the retention now; the number of rows deleted. */
	public Mono<Long> purge() {
		long before = clock.millis() - properties.retention().toMillis();
		return Flux.fromArray(TABLES)
			.concatMap(table -> database
				.write(client -> client.sql("DELETE FROM " + table + " WHERE predicted_at < :before")
					.bind("before", before)
					.fetch()
					.rowsUpdated())
				.doOnNext(deleted -> {
					Counter.builder("flywheel_monitoring_retention_deleted_rows")
						.tag("table", table)
						.description("Rows deleted past the retention")
						.register(meters)
						.increment(deleted);
					if (deleted > 0) {
						logger.info("Deleted {} rows of {} predicted before the retention of {}", deleted, table,
								properties.retention());
					}
				}))
			.reduce(0L, Long::sum);
	}

	@Override
	public void start() {
		purging.start();
	}

	@Override
	public void stop() {
		purging.stop();
	}

	@Override
	public boolean isRunning() {
		return purging.isRunning();
	}

}
