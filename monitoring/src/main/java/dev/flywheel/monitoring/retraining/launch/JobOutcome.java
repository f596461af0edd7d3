package dev.flywheel.monitoring.retraining.launch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a training job ended.
 *
 * @param status how it ended
 * @param exitCode the job's exit code; {@code null} when it timed out or vanished without one
 * @param newVersion the model version the job registered, read from its output: the published version when it
 * {@link OutcomeStatus#SUCCEEDED succeeded}, the version registered without an alias when the gate
 * {@link OutcomeStatus#REJECTED rejected} it; {@code null} when its output names none
 * @param logTail the last {@value #LOG_TAIL_LINES} lines (at most) of the job's log, standard output and error
 * @param reason one line saying why the job ended so, for people and the controller's records
 */
public record JobOutcome(OutcomeStatus status, Integer exitCode, String newVersion, List<String> logTail, String reason) {

	/** How many of the log's last lines an outcome keeps. */
	public static final int LOG_TAIL_LINES = 50;

	/** The training pipeline's exit code when the gate rejected the candidate, or when it crashed unexpectedly. */
	static final int GATE_REJECTED = 1;

	/** The training pipeline's exit code on bad input (spec, dataset, command line). */
	static final int BAD_INPUT = 2;

	/** The training pipeline's exit code when the registry could not be reached or refused a call. */
	static final int REGISTRY_FAILED = 3;

	public JobOutcome {
		Objects.requireNonNull(status, "status");
		logTail = (logTail != null) ? List.copyOf(logTail) : List.of();
		reason = (reason != null) ? reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip() : "";
	}

	/**
	 * The outcome of a job that exited with {@code exitCode} after printing {@code output}. Exit 1 is a rejection
	 * only when the job printed the gate's verdict: the pipeline's command line also exits 1 when it crashes on an
	 * unexpected exception, which is a failure.
	 */
	public static JobOutcome exited(int exitCode, TrainingOutput output, List<String> logTail) {
		String error = (output.error() != null) ? ": " + output.error() : "";
		if (exitCode == 0) {
			String reason = (output.version() != null)
					? "published " + output.model() + " version " + output.version()
							+ ((output.alias() != null) ? " as " + output.alias() : "")
					: "exited 0 but its output names no model version";
			return new JobOutcome(OutcomeStatus.SUCCEEDED, exitCode, output.version(), logTail, reason);
		}
		if (exitCode == GATE_REJECTED && Boolean.FALSE.equals(output.gatePassed())) {
			String reason = "the validation gate rejected the candidate"
					+ ((output.version() != null) ? ", " + output.model() + " version " + output.version() : "")
					+ ((output.gateReasons() != null) ? ": " + output.gateReasons() : "");
			return new JobOutcome(OutcomeStatus.REJECTED, exitCode, output.version(), logTail, reason);
		}
		String reason;
		if (exitCode == GATE_REJECTED) {
			reason = "exited 1 without a gate verdict: an unexpected error" + error;
		}
		else if (exitCode == BAD_INPUT) {
			reason = "bad input (exit 2)" + error;
		}
		else if (exitCode == REGISTRY_FAILED) {
			reason = "the registry could not be reached or refused a call (exit 3)" + error;
		}
		else if (exitCode > 128 && exitCode < 160) {
			reason = "killed by signal " + (exitCode - 128) + " (exit " + exitCode + ")";
		}
		else {
			reason = "exited with code " + exitCode + error;
		}
		return new JobOutcome(OutcomeStatus.FAILED, exitCode, null, logTail, reason);
	}

	/** The outcome of a job stopped for running past {@code timeLimit}. */
	public static JobOutcome timedOut(Duration timeLimit, List<String> logTail) {
		return new JobOutcome(OutcomeStatus.TIMED_OUT, null, null, logTail,
				"ran past its time limit of " + timeLimit + " and was stopped");
	}

	/** The outcome of a job whose process is gone without having recorded an exit code. */
	public static JobOutcome vanished(String handle, List<String> logTail) {
		return new JobOutcome(OutcomeStatus.FAILED, null, null, logTail, "the job's process (" + handle
				+ ") is gone without an exit code: it was killed, or the machine restarted, before the job ended");
	}

}
