package dev.flywheel.monitoring.retraining;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a trigger may launch a retraining now, given the model's recent jobs: what keeps a burst of triggers from
 * becoming a retrain storm.
 * <ol>
 * <li><b>Single flight</b>: nothing is launched while a job of the model is preparing or running (the database holds
 * this across replicas too: one active job per model, by a unique key).</li>
 * <li><b>Cool-down</b>: nothing is launched within {@code cooldown} of the start of the model's last job, unless a
 * person forces it ({@link TriggerReason#MANUAL} with {@code force}); a retry of a failed job waits
 * {@code retryDelay} instead.</li>
 * <li><b>Cap</b>: at most {@code maxPerDay} jobs of a model start in any 24 hours, forced ones and retries
 * included.</li>
 * <li><b>Retries</b>: a failed or timed-out job is tried again at most {@code maxAttempts} times in all.</li>
 * </ol>
 * Hysteresis (a drift or quality trigger fires once, and again only after its condition cleared) is the triggers'
 * own; see {@code Hysteresis}.
 */
public final class RetrainingRules {

	private static final Duration DAY = Duration.ofDays(1);

	private final RetrainingSettings settings;

	public RetrainingRules(RetrainingSettings settings) {
		this.settings = settings;
	}

	/** A job as the rules see it. */
	public record PastJob(String id, JobStatus status, Instant startedAt, int attempt) {
	}

	/**
	 * Why the trigger may not launch a job now, or empty when it may.
	 *
	 * @param jobs the model's jobs started in the last day at least, and every active one
	 */
	public Optional<String> refusal(TriggerReason reason, boolean force, int attempt, Instant now, List<PastJob> jobs) {
		Optional<PastJob> active = jobs.stream().filter(job -> job.status().isActive()).findFirst();
		if (active.isPresent()) {
			return Optional.of("job " + active.get().id() + " of this model is " + active.get().status().name()
				.toLowerCase(Locale.ROOT) + " (one job per model at a time)");
		}
		long today = jobs.stream().filter(job -> job.startedAt().isAfter(now.minus(DAY))).count();
		if (today >= settings.maxPerDay()) {
			return Optional.of(today + " jobs of this model started in the last 24 hours (at most "
					+ settings.maxPerDay() + ", flywheel.monitoring.retraining.max-per-day)");
		}
		if (reason == TriggerReason.RETRY && attempt > settings.maxAttempts()) {
			return Optional.of("attempt " + attempt + " would be over " + settings.maxAttempts()
					+ " (flywheel.monitoring.retraining.max-attempts)");
		}
		Optional<Instant> last = jobs.stream().map(PastJob::startedAt).max(Instant::compareTo);
		Duration wait = reason == TriggerReason.RETRY ? settings.retryDelay() : settings.cooldown();
		if (last.isPresent() && !(reason == TriggerReason.MANUAL && force) && last.get().plus(wait).isAfter(now)) {
			return Optional.of("cooling down until " + last.get().plus(wait) + " (the last job started at "
					+ last.get() + (reason == TriggerReason.RETRY ? "; flywheel.monitoring.retraining.retry-delay)"
							: "; flywheel.monitoring.retraining.cooldown)"));
		}
		return Optional.empty();
	}

}
