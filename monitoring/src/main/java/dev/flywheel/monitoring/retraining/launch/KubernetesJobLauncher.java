package dev.flywheel.monitoring.retraining.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the training job as a Kubernetes Job: {@code COMMAND train --spec SPEC --registry URL} in the configured image
 * (the monitoring image by default, which holds the training pipeline's jar).
 * <p>
 * What the Job holds is {@link KubernetesJobSpec}'s: the spec's YAML in a ConfigMap the Job owns, mounted as the
 * {@code --spec} file; the snapshot the spec names read through monitoring's volume, mounted at the same path (a spec
 * whose snapshot is outside it is refused before anything is created); the request's environment, resources,
 * {@code backoffLimit}, {@code activeDeadlineSeconds} from the time limit, owner labels. The handle is
 * {@code namespace/name}.
 * <p>
 * Following a Job polls its status every {@link KubernetesJobSettings#pollInterval()} until a {@code Complete} or
 * {@code Failed} condition: {@code DeadlineExceeded} is {@link OutcomeStatus#TIMED_OUT TIMED_OUT}; otherwise the
 * exit code of its last pod's container, with the pod's log parsed as {@link TrainingOutput} (the local launcher's
 * format), classifies the outcome as {@link JobOutcome#exited} does. A Job that is gone (deleted, or collected after
 * its {@code ttlSecondsAfterFinished}) is a {@link OutcomeStatus#FAILED FAILED} "vanished" outcome. Once the
 * outcome is read the log is kept in the work directory ({@value LocalProcessLauncher#LOG}) and the Job is deleted
 * with its pods (propagation {@code Background}) and its ConfigMap, unless finished Jobs are kept.
 * <p>
 * Every API call is bounded by the client's connection and request timeouts ({@link #connect}), and tried three times
 * at most: an unreachable API server fails a launch with an {@link UncheckedIOException} saying so. While a Job is
 * followed, calls that fail are tried again at the next poll; if the API server stays unreachable past the Job's
 * deadline (plus {@link #DEADLINE_GRACE}), the outcome is {@link OutcomeStatus#FAILED FAILED}, saying the Job may still run.
 */
public final class KubernetesJobLauncher implements TrainingLauncher, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KubernetesJobLauncher.class);

	/** How much of a pod's log is read: its last lines, enough for the training output's closing report. */
	static final int LOG_LINES = 2000;

	/** How long past a Job's deadline it is still followed while Kubernetes has not stopped it. */
	static final Duration DEADLINE_GRACE = Duration.ofMinutes(2);

	/** Retries of one API call after a connection failure (the client's own retries, with exponential backoff). */
	private static final int API_RETRIES = 2;

	private static final int API_RETRY_INTERVAL_MILLIS = 100;

	private final KubernetesClient client;

	private final KubernetesJobSettings settings;

	private final String namespace;

	private final boolean ownsClient;

	private final Duration deadlineGrace;

	private final KubernetesJobSpec specs;

	private volatile boolean closed;

	/**
	 * A launcher that talks to the cluster through {@code client}, which it does not close.
	 * @param client a client whose configuration bounds every call (connection and request timeouts)
	 * @param settings what the Jobs are made of; its API server and timeout are {@code client}'s business here
	 */
	public KubernetesJobLauncher(KubernetesClient client, KubernetesJobSettings settings) {
		this(client, settings, false, DEADLINE_GRACE);
	}

	/** A launcher that gives up on a Job {@code deadlineGrace} past its deadline (tests). */
	KubernetesJobLauncher(KubernetesClient client, KubernetesJobSettings settings, Duration deadlineGrace) {
		this(client, settings, false, deadlineGrace);
	}

	private KubernetesJobLauncher(KubernetesClient client, KubernetesJobSettings settings, boolean ownsClient,
			Duration deadlineGrace) {
		this.client = client;
		this.settings = settings;
		this.ownsClient = ownsClient;
		this.deadlineGrace = deadlineGrace;
		String configured = (settings.namespace() != null) ? settings.namespace() : client.getNamespace();
		this.namespace = (configured != null) ? configured : "default";
		this.specs = new KubernetesJobSpec(settings, this.namespace);
	}

	/**
	 * A launcher with a client of its own (closed with the launcher), on the settings' API server or, without one,
	 * the one the client finds (in a pod, its service account), each call bounded by the settings' API timeout.
	 */
	public static KubernetesJobLauncher connect(KubernetesJobSettings settings) {
		return connect(settings, DEADLINE_GRACE);
	}

	static KubernetesJobLauncher connect(KubernetesJobSettings settings, Duration deadlineGrace) {
		ConfigBuilder builder = (settings.apiServer() != null)
				? new ConfigBuilder(Config.empty()).withMasterUrl(settings.apiServer().toString()) : new ConfigBuilder();
		int timeout = (int) Math.min(Integer.MAX_VALUE, settings.apiTimeout().toMillis());
		Config config = builder.withConnectionTimeout(timeout)
			.withRequestTimeout(timeout)
			.withRequestRetryBackoffLimit(API_RETRIES)
			.withRequestRetryBackoffInterval(API_RETRY_INTERVAL_MILLIS)
			.build();
		return new KubernetesJobLauncher(new KubernetesClientBuilder().withConfig(config).build(), settings, true,
				deadlineGrace);
	}

	/** The namespace the Jobs are created in. */
	public String namespace() {
		return this.namespace;
	}

	@Override
	public LaunchedJob launch(JobRequest request) {
		if (this.closed) {
			throw new IllegalStateException("The Kubernetes launcher is closed");
		}
		String spec;
		try {
			spec = Files.readString(request.spec(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the training spec " + request.spec(), ex);
		}
		Map<?, ?> parsed = KubernetesJobSpec.parse(spec);
		this.specs.checkSnapshotIsShared(parsed);
		String name = KubernetesJobSpec.jobName(request.jobId());
		Map<String, String> labels = KubernetesJobSpec.labels(request.jobId(), parsed.get("model"));
		Job job = this.specs.job(request, name, labels);
		Job created;
		try {
			created = this.client.batch().v1().jobs().inNamespace(this.namespace).resource(job).create();
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() == 409) {
				throw new IllegalStateException("Kubernetes Job " + handle(this.namespace, name) + " already exists",
						ex);
			}
			throw apiFailure("start training job " + request.jobId() + " as Kubernetes Job "
					+ handle(this.namespace, name), ex);
		}
		try {
			this.client.configMaps().inNamespace(this.namespace).resource(this.specs.configMap(created, spec, labels)).create();
		}
		catch (KubernetesClientException ex) {
			delete(this.namespace, name);
			throw apiFailure("store the spec of training job " + request.jobId() + " in ConfigMap "
					+ handle(this.namespace, KubernetesJobSpec.configMapName(name)), ex);
		}
		logger.info("Training job {} created as Kubernetes Job {}", request.jobId(), handle(this.namespace, name));
		FollowedJob launched = new FollowedJob(this.namespace, name, request.workDirectory().toAbsolutePath());
		launched.deadline = Instant.now().plus(request.timeLimit());
		return launched;
	}

	@Override
	public LaunchedJob reattach(String handle, Path workDirectory) {
		int slash = handle.indexOf('/');
		if (slash <= 0 || slash == handle.length() - 1 || handle.indexOf('/', slash + 1) >= 0) {
			throw new IllegalArgumentException(
					"A Kubernetes training job's handle is namespace/name, not '" + handle + "'");
		}
		return new FollowedJob(handle.substring(0, slash), handle.substring(slash + 1),
				workDirectory.toAbsolutePath());
	}

	/** Closes the client if the launcher made it; a Job being followed is then left running, to be reattached to. */
	@Override
	public void close() {
		this.closed = true;
		if (this.ownsClient) {
			this.client.close();
		}
	}

	// --- following

	private static String handle(String namespace, String name) {
		return namespace + "/" + name;
	}

	private UncheckedIOException apiFailure(String what, KubernetesClientException ex) {
		return new UncheckedIOException(new IOException("Could not " + what + ": " + describe(ex), ex));
	}

	private String describe(KubernetesClientException ex) {
		if (ex.getCode() > 0) {
			String message = (ex.getStatus() != null && ex.getStatus().getMessage() != null)
					? ex.getStatus().getMessage() : ex.getMessage();
			return "the Kubernetes API server at " + this.client.getMasterUrl() + " answered " + ex.getCode() + ": "
					+ message;
		}
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return "the Kubernetes API server at " + this.client.getMasterUrl() + " did not answer within "
				+ this.settings.apiTimeout() + " (" + cause + ")";
	}

	/** Deletes a Job with its pods, and its spec's ConfigMap (which its ownerReference would delete anyway). */
	private void delete(String namespace, String name) {
		try {
			this.client.batch()
				.v1()
				.jobs()
				.inNamespace(namespace)
				.withName(name)
				.withPropagationPolicy(DeletionPropagation.BACKGROUND)
				.delete();
			this.client.configMaps().inNamespace(namespace).withName(KubernetesJobSpec.configMapName(name)).delete();
		}
		catch (KubernetesClientException ex) {
			logger.warn("Could not delete Kubernetes Job {}: {}", handle(namespace, name), describe(ex));
		}
	}

	/** A Job followed through the API server. */
	private final class FollowedJob implements LaunchedJob {

		private final String namespace;

		private final String name;

		private final Path work;

		/** Since when calls to the API server have failed; {@code null} while they answer. */
		private Instant failingSince;

		/**
		 * When Kubernetes should have stopped the Job, as last read (from the request at launch); {@code null} for a
		 * reattached Job not read yet.
		 */
		private Instant deadline;

		private JobOutcome outcome;

		FollowedJob(String namespace, String name, Path work) {
			this.namespace = namespace;
			this.name = name;
			this.work = work;
		}

		@Override
		public String handle() {
			return KubernetesJobLauncher.handle(this.namespace, this.name);
		}

		@Override
		public synchronized JobOutcome await() throws InterruptedException {
			while (this.outcome == null) {
				if (closed) {
					throw new InterruptedException("The Kubernetes launcher was closed; Job " + handle()
							+ " is left running");
				}
				this.outcome = check();
				if (this.outcome == null) {
					Thread.sleep(settings.pollInterval().toMillis());
				}
			}
			return this.outcome;
		}

		/** The outcome if the Job ended (or is given up on), else {@code null}. */
		private JobOutcome check() {
			Job job;
			try {
				job = client.batch().v1().jobs().inNamespace(this.namespace).withName(this.name).get();
			}
			catch (KubernetesClientException ex) {
				return unanswered(ex);
			}
			if (this.failingSince != null) {
				logger.info("The Kubernetes API server answers again about Job {}", handle());
				this.failingSince = null;
			}
			if (job == null) {
				return new JobOutcome(OutcomeStatus.FAILED, null, null, List.of(), "Kubernetes Job " + handle()
						+ " vanished: it was deleted (by someone, or once its ttlSecondsAfterFinished ran out) before"
						+ " its outcome was read");
			}
			Instant read = deadline(job);
			this.deadline = (read != null) ? read : this.deadline;
			Optional<JobCondition> end = end(job);
			if (end.isEmpty()) {
				if (this.deadline != null && Instant.now().isAfter(this.deadline.plus(deadlineGrace))) {
					logger.warn("Kubernetes Job {} runs past its deadline; deleting it", handle());
					List<String> lines = log(latestPod());
					keepLog(lines);
					JobOutcome timedOut = JobOutcome.timedOut(timeLimit(job), tail(lines));
					delete(this.namespace, this.name);
					return timedOut;
				}
				return null;
			}
			JobOutcome ended = outcome(job, end.get());
			if (!settings.keepFinishedJobs()) {
				delete(this.namespace, this.name);
			}
			return ended;
		}

		private JobOutcome unanswered(KubernetesClientException ex) {
			Instant now = Instant.now();
			if (this.failingSince == null) {
				this.failingSince = now;
				logger.warn("Could not read Kubernetes Job {}, trying again every {}: {}", handle(),
						settings.pollInterval(), describe(ex));
			}
			Instant giveUp = ((this.deadline != null) ? this.deadline : this.failingSince).plus(deadlineGrace);
			if (now.isAfter(giveUp)) {
				return new JobOutcome(OutcomeStatus.FAILED, null, null, List.of(),
						"lost Kubernetes Job " + handle() + ": " + describe(ex) + " since " + this.failingSince
								+ "; the Job may still run");
			}
			return null;
		}

		private JobOutcome outcome(Job job, JobCondition end) {
			Optional<Pod> pod = latestPod();
			List<String> lines = log(pod);
			keepLog(lines);
			if ("Failed".equals(end.getType()) && "DeadlineExceeded".equals(end.getReason())) {
				return JobOutcome.timedOut(timeLimit(job), tail(lines));
			}
			Integer exitCode = pod.flatMap(KubernetesJobLauncher::exitCode).orElse(null);
			if ("Complete".equals(end.getType())) {
				return JobOutcome.exited((exitCode != null) ? exitCode : 0, TrainingOutput.parse(lines.stream()),
						tail(lines));
			}
			if (exitCode != null && exitCode != 0) {
				return JobOutcome.exited(exitCode, TrainingOutput.parse(lines.stream()), tail(lines));
			}
			return new JobOutcome(OutcomeStatus.FAILED, exitCode, null, tail(lines), "Kubernetes Job " + handle()
					+ " failed without a container exit code: " + end.getReason()
					+ ((end.getMessage() != null) ? " (" + end.getMessage() + ")" : ""));
		}

		/** The Job's last pod (by creation), if any is left. */
		private Optional<Pod> latestPod() {
			try {
				return client.pods()
					.inNamespace(this.namespace)
					.withLabel(KubernetesJobSpec.JOB_NAME_LABEL, this.name)
					.list()
					.getItems()
					.stream()
					.max(Comparator.comparing((Pod pod) -> String.valueOf(pod.getMetadata().getCreationTimestamp()))
						.thenComparing(pod -> pod.getMetadata().getName()));
			}
			catch (KubernetesClientException ex) {
				logger.warn("Could not list the pods of Kubernetes Job {}: {}", handle(), describe(ex));
				return Optional.empty();
			}
		}

		/** The last {@value #LOG_LINES} lines of the pod's log; none when it cannot be read. */
		private List<String> log(Optional<Pod> pod) {
			if (pod.isEmpty()) {
				return List.of();
			}
			try {
				String log = client.pods()
					.inNamespace(this.namespace)
					.withName(pod.get().getMetadata().getName())
					.inContainer(KubernetesJobSpec.CONTAINER)
					.tailingLines(LOG_LINES)
					.getLog();
				return (log == null) ? List.of() : log.lines().toList();
			}
			catch (KubernetesClientException ex) {
				logger.warn("Could not read the log of pod {} of Kubernetes Job {}: {}",
						pod.get().getMetadata().getName(), handle(), describe(ex));
				return List.of();
			}
		}

		/** Keeps the log in the work directory, as the local launcher does; a failure to is only logged. */
		private void keepLog(List<String> lines) {
			try {
				Files.createDirectories(this.work);
				Files.write(this.work.resolve(LocalProcessLauncher.LOG), lines, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				logger.warn("Could not keep the log of Kubernetes Job {} in {}: {}", handle(), this.work, ex.toString());
			}
		}

	}

	/** The Job's {@code Complete} or {@code Failed} condition, if it has ended. */
	static Optional<JobCondition> end(Job job) {
		if (job.getStatus() == null || job.getStatus().getConditions() == null) {
			return Optional.empty();
		}
		return job.getStatus()
			.getConditions()
			.stream()
			.filter(c -> "True".equalsIgnoreCase(c.getStatus()))
			.filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
			.findFirst();
	}

	/** When Kubernetes stops the Job: its start (or creation) plus its {@code activeDeadlineSeconds}. */
	private static Instant deadline(Job job) {
		if (job.getSpec() == null || job.getSpec().getActiveDeadlineSeconds() == null) {
			return null;
		}
		String start = (job.getStatus() != null && job.getStatus().getStartTime() != null)
				? job.getStatus().getStartTime() : job.getMetadata().getCreationTimestamp();
		try {
			return (start != null) ? Instant.parse(start).plusSeconds(job.getSpec().getActiveDeadlineSeconds()) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static Duration timeLimit(Job job) {
		Long seconds = (job.getSpec() != null) ? job.getSpec().getActiveDeadlineSeconds() : null;
		return (seconds != null) ? Duration.ofSeconds(seconds) : Duration.ZERO;
	}

	/** The training container's exit code, from its state or, after a restart, its last state. */
	private static Optional<Integer> exitCode(Pod pod) {
		if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
			return Optional.empty();
		}
		for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
			if (!KubernetesJobSpec.CONTAINER.equals(status.getName())) {
				continue;
			}
			ContainerStateTerminated terminated = (status.getState() != null) ? status.getState().getTerminated()
					: null;
			if (terminated == null && status.getLastState() != null) {
				terminated = status.getLastState().getTerminated();
			}
			if (terminated != null && terminated.getExitCode() != null) {
				return Optional.of(terminated.getExitCode());
			}
		}
		return Optional.empty();
	}

	private static List<String> tail(List<String> lines) {
		return lines.subList(Math.max(0, lines.size() - JobOutcome.LOG_TAIL_LINES), lines.size());
	}

}
