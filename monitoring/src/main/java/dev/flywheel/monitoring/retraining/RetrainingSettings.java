package dev.flywheel.monitoring.retraining;

import java.time.Duration;

/**
 * How retraining is bounded ({@code flywheel.monitoring.retraining.*}).
 *
 * @param cooldown the least time between the starts of two jobs of a model (a forced manual trigger skips it)
 * @param maxPerDay the most jobs of a model started in any 24 hours
 * @param maxAttempts the most attempts of one retraining (the first and its retries)
 * @param retryDelay the wait before a failed or timed-out job is tried again
 * @param timeLimit the longest a training job may run before it is stopped
 */
public record RetrainingSettings(Duration cooldown, int maxPerDay, int maxAttempts, Duration retryDelay,
		Duration timeLimit) {

	public RetrainingSettings {
		if (maxPerDay < 1 || maxAttempts < 1) {
			throw new IllegalArgumentException("max-per-day and max-attempts must be at least 1");
		}
	}

}
