package dev.flywheel.monitoring.drifting;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.predictions.LoggedPrediction;
import dev.flywheel.monitoring.system.MonitoringProperties;

import dev.flywheel.monitoring.reference.VersionKey;

/**
 * The live traffic of every version monitoring has seen predictions of, counted as they are stored: cheap work per row
 * (a bin lookup per feature); the drift itself is judged apart, by the {@link DriftMonitor}, off the request path.
 */
@Component
public class LiveTraffic {

	private final Map<VersionKey, VersionTraffic> versions = new ConcurrentHashMap<>();

	private final long bucketMillis;

	private final int maxPending;

	LiveTraffic(MonitoringProperties properties) {
		this.bucketMillis = properties.driftBucket().toMillis();
		this.maxPending = properties.pendingRows();
	}

	/** Counts stored rows in their version's window. */
	public void add(List<LoggedPrediction> rows) {
		for (LoggedPrediction row : rows) {
			versions.computeIfAbsent(new VersionKey(row.model(), row.version()),
					key -> new VersionTraffic(bucketMillis, maxPending)).add(row);
		}
	}

	Map<VersionKey, VersionTraffic> versions() {
		return versions;
	}

}
