package dev.flywheel.monitoring.retraining;

/** Where a retraining job is. */
public enum JobStatus {

	/** Taken: the snapshot and the spec are being prepared. */
	PREPARING,

	/** The training job runs. */
	RUNNING,

	/** A new version was published (and made challenger). */
	SUCCEEDED,

	/** The training job's validation gate rejected the candidate. */
	REJECTED,

	/** It could not be prepared or the training job failed. */
	FAILED,

	/** The training job ran past its time limit and was stopped. */
	TIMED_OUT;

	/** Whether the job still holds its model's single flight. */
	public boolean isActive() {
		return this == PREPARING || this == RUNNING;
	}

}
