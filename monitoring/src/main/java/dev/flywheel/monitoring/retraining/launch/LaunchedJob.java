package dev.flywheel.monitoring.retraining.launch;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A training job that was launched or reattached to, followed to its {@link JobOutcome}. Following enforces the
 * job's time limit: a job that runs past it is stopped and ends {@link OutcomeStatus#TIMED_OUT TIMED_OUT}.
 */
public interface LaunchedJob {

	/** What finds the job again after a restart ({@link TrainingLauncher#reattach}); for a local process its pid. */
	String handle();

	/**
	 * Waits for the job to end and returns its outcome; once known, the same outcome is returned at once. This
	 * blocks the calling thread for as long as the job runs: never call it on an event loop, use {@link #outcome()}
	 * or a {@link Schedulers#boundedElastic() bounded elastic} scheduler. An interrupted wait leaves the job running,
	 * to be awaited again or reattached to.
	 * @return the outcome
	 * @throws InterruptedException if the waiting thread was interrupted
	 */
	JobOutcome await() throws InterruptedException;

	/**
	 * The outcome, {@link #await() awaited} on the {@link Schedulers#boundedElastic() bounded elastic} scheduler so
	 * that following the job never blocks a Netty event loop.
	 */
	default Mono<JobOutcome> outcome() {
		return Mono.fromCallable(this::await).subscribeOn(Schedulers.boundedElastic());
	}

}
