package dev.flywheel.monitoring.retraining;

/** Why a retraining was asked for. */
public enum TriggerReason {

	/** Asked for through the API or the command line. */
	MANUAL,

	/** The drift alarm held on enough consecutive windows. */
	DRIFT,

	/** Live quality dropped below the version's held-out quality. */
	QUALITY,

	/** Enough new labelled data arrived since the last retraining. */
	NEW_LABELS,

	/** The model's retraining schedule came due. */
	SCHEDULE,

	/** A failed or timed-out job is tried again. */
	RETRY

}
