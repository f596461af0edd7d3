package dev.flywheel.monitoring.drifting;

import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.reference.VersionKey;

/** Told of every window the {@link DriftMonitor} judges (a bean implementing it is found). */
public interface DriftListener {

	void judged(VersionKey version, DriftReport report);

}
