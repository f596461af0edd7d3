package dev.flywheel.monitoring.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Monitoring's settings ({@code flywheel.monitoring.*}).
 *
 * @param retention how long logged predictions and feedback are kept (by when they were predicted)
 * @param retentionInterval how often rows past the retention are deleted
 * @param rowsInFlight the most prediction-log rows and feedback events being stored at once; a post that would go over
 * is shed (503 with {@code Retry-After}, counted in {@code flywheel_monitoring_ingest_dropped_rows_total})
 * @param maxRequestSize the largest body a post may have (413 past it)
 * @param databaseThreads the threads that run database work
 * @param databaseTimeout the longest a unit of database work may take
 * @param driftWindow the sliding window drift is judged over (the predictions made in the last this long)
 * @param driftBucket the time buckets the window is kept in (it slides by one bucket at a time)
 * @param driftInterval how often every version's window is judged
 * @param pendingRows the most rows of one version kept while its reference profile is not known yet (the oldest go)
 */
@ConfigurationProperties("flywheel.monitoring")
public record MonitoringProperties(@DefaultValue("30d") Duration retention,
		@DefaultValue("1h") Duration retentionInterval, @DefaultValue("50000") int rowsInFlight,
		@DefaultValue("32MB") DataSize maxRequestSize, @DefaultValue("4") int databaseThreads,
		@DefaultValue("30s") Duration databaseTimeout, @DefaultValue("1h") Duration driftWindow,
		@DefaultValue("1m") Duration driftBucket, @DefaultValue("30s") Duration driftInterval,
		@DefaultValue("100000") int pendingRows) {

	public MonitoringProperties {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("flywheel.monitoring.retention must be positive, not " + retention);
		}
		if (driftBucket.isNegative() || driftBucket.isZero() || driftWindow.compareTo(driftBucket) < 0) {
			throw new IllegalArgumentException("flywheel.monitoring.drift-bucket must be positive and no longer than "
					+ "flywheel.monitoring.drift-window");
		}
		if (rowsInFlight < 1) {
			throw new IllegalArgumentException("flywheel.monitoring.rows-in-flight must be at least 1");
		}
	}

}
