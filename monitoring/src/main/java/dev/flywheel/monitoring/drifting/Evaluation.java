package dev.flywheel.monitoring.drifting;

import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.reference.VersionKey;

/**
 * The latest judgement of one version's live window.
 *
 * @param report the drift report, or null while the version's reference profile is not known
 * @param waitingFor why there is no report (the registry's answer), or null
 * @param from the window's start (epoch milliseconds, inclusive)
 * @param to the window's end (exclusive)
 * @param at when it was judged
 * @param pendingRows the rows waiting for the reference profile
 * @param nanos how long summing the window's buckets and judging it took
 */
record Evaluation(VersionKey version, DriftReport report, String waitingFor, long from, long to, long at,
		int pendingRows, long nanos) {
}
