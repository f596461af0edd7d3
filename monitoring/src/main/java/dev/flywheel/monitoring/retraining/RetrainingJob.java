package dev.flywheel.monitoring.retraining;

/**
 * A retraining job as stored ({@code retraining_job}); times are epoch milliseconds, null until they happen.
 *
 * @param baseVersion the champion the job retrained from
 * @param snapshotDigest the SHA-256 of the labelled production data it exported (its file is named by it)
 * @param handle how the launcher finds the training job again (a process id for a local process)
 * @param newVersion the version the training job published
 * @param detail a one-line account of how it went (why it failed, what the gate said)
 * @param logTail the last lines of the training job's log
 * @param abTestId the router's A/B test started for the new version
 */
public record RetrainingJob(String id, String model, TriggerReason reason, int attempt, JobStatus status,
		long requestedAt, Long startedAt, Long finishedAt, String baseVersion, String snapshotDigest, Long snapshotRows,
		String workDir, String handle, String newVersion, Integer exitCode, String detail, String logTail,
		String abTestId) {
}
