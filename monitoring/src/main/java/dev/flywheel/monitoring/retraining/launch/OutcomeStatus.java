package dev.flywheel.monitoring.retraining.launch;

/** How a training job ended. */
public enum OutcomeStatus {

	/** The job exited 0: the candidate passed the gate and a new model version was published with an alias. */
	SUCCEEDED,

	/**
	 * The job exited 1 after the validation gate rejected the candidate (registered with the verdict, no alias).
	 */
	REJECTED,

	/**
	 * The job did not get to a verdict: bad input (exit 2), the registry unreachable (exit 3), an unexpected error
	 * (exit 1 without a gate verdict), any other exit code, killed by a signal, or gone without an exit code.
	 */
	FAILED,

	/** The job ran past its time limit and was stopped. */
	TIMED_OUT

}
