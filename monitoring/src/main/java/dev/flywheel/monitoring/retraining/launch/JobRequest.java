package dev.flywheel.monitoring.retraining.launch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One training job to launch: {@code train --spec SPEC --registry URL}.
 *
 * @param jobId the retraining controller's name for the job (for its logs and records)
 * @param spec the training spec (YAML) to train from
 * @param registry the registry (MLflow tracking server) the job publishes to
 * @param timeLimit how long the job may run before it is stopped and reported {@link OutcomeStatus#TIMED_OUT}
 * @param workDirectory a directory owned by the job, created if missing: its log ({@value LocalProcessLauncher#LOG}),
 * start time and exit code are kept there, and it is what {@link TrainingLauncher#reattach} reads after a restart
 * @param environment variables added to the job's environment (and overriding the launcher's own)
 */
public record JobRequest(String jobId, Path spec, URI registry, Duration timeLimit, Path workDirectory,
		Map<String, String> environment) {

	public JobRequest {
		if (jobId == null || jobId.isBlank()) {
			throw new IllegalArgumentException("jobId must not be blank");
		}
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(registry, "registry");
		Objects.requireNonNull(workDirectory, "workDirectory");
		if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
			throw new IllegalArgumentException("timeLimit must be positive: " + timeLimit);
		}
		environment = (environment != null) ? Map.copyOf(environment) : Map.of();
	}

	/** A request that adds nothing to the job's environment. */
	public JobRequest(String jobId, Path spec, URI registry, Duration timeLimit, Path workDirectory) {
		this(jobId, spec, registry, timeLimit, workDirectory, Map.of());
	}

}
