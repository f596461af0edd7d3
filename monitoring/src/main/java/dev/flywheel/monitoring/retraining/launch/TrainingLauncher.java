package dev.flywheel.monitoring.retraining.launch;

import java.nio.file.Path;

/**
 * Starts training jobs and finds them again. Implementations run the job somewhere else than the calling thread
 * (a local process, a Kubernetes Job): {@link #launch} and {@link #reattach} return at once, and the job goes on
 * whether or not anyone follows it.
 */
public interface TrainingLauncher {

	/**
	 * Starts a training job.
	 * @param request what to train, against which registry, for how long at most, and where the job keeps its files
	 * @return the started job, to follow to its outcome; its {@link LaunchedJob#handle() handle} finds it again
	 * @throws java.io.UncheckedIOException if the job could not be started
	 * @throws IllegalStateException if the work directory already holds a job
	 */
	LaunchedJob launch(JobRequest request);

	/**
	 * Finds a job started earlier, by this launcher or by another instance of it (typically before a monitoring
	 * restart), and follows it again: a job that ended meanwhile gives its outcome at once, one that still runs is
	 * followed and its time limit still enforced (measured from when it started), and one that is gone without an
	 * outcome (killed, or the machine restarted) gives a {@link OutcomeStatus#FAILED FAILED} outcome saying so.
	 * @param handle the {@link LaunchedJob#handle() handle} the job had when it was launched
	 * @param workDirectory the {@link JobRequest#workDirectory() work directory} it was launched with
	 * @return the job
	 * @throws IllegalArgumentException if the handle is not one of this launcher's or no job was started in the
	 * work directory
	 */
	LaunchedJob reattach(String handle, Path workDirectory);

}
