package dev.flywheel.monitoring.retraining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.retraining.RetrainingRules.PastJob;
import dev.flywheel.monitoring.retraining.launch.JobOutcome;
import dev.flywheel.monitoring.retraining.launch.JobRequest;
import dev.flywheel.monitoring.retraining.launch.LaunchedJob;
import dev.flywheel.monitoring.retraining.launch.TrainingLauncher;
import dev.flywheel.monitoring.system.RegistryProperties;

/**
 * Takes retraining triggers and runs the jobs they launch: checks the {@link RetrainingRules} (and takes the model's
 * single flight in the database), exports the labelled production data as a content-addressed snapshot, writes the
 * retraining spec from the champion's, launches the training job and follows it to the end, records the outcome, makes
 * a version that passed its gate {@code challenger} and starts its A/B test on the router; a failed or timed-out job
 * is tried again within the rules. At start, the jobs a previous run left running are followed again.
 */
@Component
public class RetrainingController implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RetrainingController.class);

	private final JobStore jobs;

	private final SnapshotExporter snapshots;

	private final RegistryAccess registry;

	private final RouterAccess router;

	private final TrainingLauncher launcher;

	private final RetrainingRules rules;

	private final RetrainingProperties properties;

	private final RegistryProperties registryProperties;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Path home;

	private volatile boolean running;

	RetrainingController(JobStore jobs, SnapshotExporter snapshots, RegistryAccess registry, RouterAccess router,
			TrainingLauncher launcher, RetrainingProperties properties, RegistryProperties registryProperties,
			MeterRegistry meters, Clock clock, @Value("${flywheel.home:./.flywheel}") String home) {
		this.jobs = jobs;
		this.snapshots = snapshots;
		this.registry = registry;
		this.router = router;
		this.properties = properties;
		this.registryProperties = registryProperties;
		this.meters = meters;
		this.clock = clock;
		this.home = Path.of(home).toAbsolutePath().resolve("monitoring");
		this.rules = new RetrainingRules(properties.settings());
		this.launcher = launcher;
	}

	/** Launches a job for {@code model} unless the rules refuse; the job runs on after this answers. */
	public Mono<TriggerResult> trigger(String model, TriggerReason reason, boolean force) {
		return trigger(model, reason, force, 1);
	}

	private Mono<TriggerResult> trigger(String model, TriggerReason reason, boolean force, int attempt) {
		long now = clock.millis();
		return jobs.recent(model, now - Duration.ofDays(1).toMillis()).flatMap(recent -> {
			List<PastJob> past = new ArrayList<>();
			recent.forEach(job -> past.add(new PastJob(job.id(), job.status(),
					Instant.ofEpochMilli(job.startedAt() != null ? job.startedAt() : job.requestedAt()), job.attempt())));
			String refusal = rules.refusal(reason, force, attempt, Instant.ofEpochMilli(now), past).orElse(null);
			if (refusal != null) {
				return Mono.just(refused(model, reason, refusal));
			}
			RetrainingJob job = new RetrainingJob(UUID.randomUUID().toString(), model, reason, attempt,
					JobStatus.PREPARING, now, null, null, null, null, null, null, null, null, null, null, null, null);
			return jobs.insertActive(job).map(taken -> {
				if (!taken) {
					return refused(model, reason, "another job of this model was taken at the same moment");
				}
				counter("flywheel_monitoring_retraining_triggers", model, "reason", reason, "launched").increment();
				Mono.fromRunnable(() -> run(job)).subscribeOn(Schedulers.boundedElastic()).subscribe();
				return TriggerResult.launched(job);
			});
		});
	}

	private TriggerResult refused(String model, TriggerReason reason, String why) {
		logger.info("A {} retraining of {} was not launched: {}", reason, model, why);
		counter("flywheel_monitoring_retraining_triggers", model, "reason", reason, "refused").increment();
		return TriggerResult.refused(why);
	}

	/** Prepares and launches the job, then follows it (blocking: runs on a bounded elastic thread). */
	private void run(RetrainingJob job) {
		Path work = home.resolve("jobs").resolve(job.id());
		RetrainingJob current = job;
		try {
			Files.createDirectories(work);
			Champion champion = registry.champion(job.model(), work);
			Snapshot snapshot = snapshots
				.export(job.model(), champion.features(), champion.label(), home.resolve("snapshots"))
				.block(Duration.ofMinutes(10));
			Path spec = work.resolve("spec.yaml");
			Files.writeString(spec, RetrainingSpec.of(champion.spec(), champion.specDirectory(), snapshot,
					champion.version()));
			LaunchedJob launched = launcher.launch(new JobRequest(job.id(), spec, registryProperties.url(),
					properties.timeLimit(), work));
			current = with(job, JobStatus.RUNNING, clock.millis(), champion.version(), snapshot, work,
					launched.handle(), "training from version " + champion.version() + " with " + snapshot.rows()
							+ " labelled production rows");
			jobs.update(current).block(Duration.ofMinutes(1));
			logger.info("Retraining job {} of {} started: {}", job.id(), job.model(), current.detail());
			follow(current, launched);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Retraining job {} of {} failed before training: {}", job.id(), job.model(), ex.toString());
			finish(current, JobStatus.FAILED, null, null, "could not be prepared: " + ex.getMessage(), null, null);
		}
	}

	private void follow(RetrainingJob job, LaunchedJob launched) throws InterruptedException {
		JobOutcome outcome = launched.await();
		String log = String.join("\n", outcome.logTail());
		switch (outcome.status()) {
			case SUCCEEDED -> succeeded(job, outcome, log);
			case REJECTED -> finish(job, JobStatus.REJECTED, outcome.exitCode(), outcome.newVersion(),
					outcome.reason(), log, null);
			case TIMED_OUT -> finish(job, JobStatus.TIMED_OUT, outcome.exitCode(), null, outcome.reason(), log, null);
			case FAILED -> finish(job, JobStatus.FAILED, outcome.exitCode(), null, outcome.reason(), log, null);
		}
	}

	private void succeeded(RetrainingJob job, JobOutcome outcome, String log) {
		String version = outcome.newVersion();
		String detail = "version " + version + " passed its gate and is challenger";
		String abTest = null;
		try {
			registry.makeChallenger(job.model(), version);
			if (properties.abTest().enabled()) {
				abTest = router.startAbTest(job.model(), version, properties.abTestPolicy());
				detail += "; A/B test " + abTest + " against the champion started";
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Retraining job {} of {}: {} (version {} is published)", job.id(), job.model(), ex.toString(),
					version);
			detail = "version " + version + " passed its gate, but " + ex.getMessage();
		}
		finish(job, JobStatus.SUCCEEDED, outcome.exitCode(), version, detail, log, abTest);
	}

	private void finish(RetrainingJob job, JobStatus status, Integer exitCode, String newVersion, String detail,
			String log, String abTest) {
		RetrainingJob ended = new RetrainingJob(job.id(), job.model(), job.reason(), job.attempt(), status,
				job.requestedAt(), job.startedAt() != null ? job.startedAt() : job.requestedAt(), clock.millis(),
				job.baseVersion(), job.snapshotDigest(), job.snapshotRows(), job.workDir(), job.handle(), newVersion,
				exitCode, detail, log, abTest);
		jobs.update(ended).block(Duration.ofMinutes(1));
		counter("flywheel_monitoring_retraining_jobs", job.model(), "status", status, null).increment();
		logger.info("Retraining job {} of {} ended {}: {}", job.id(), job.model(), status, detail);
		if ((status == JobStatus.FAILED || status == JobStatus.TIMED_OUT) && running) {
			retryLater(job);
		}
	}

	private void retryLater(RetrainingJob job) {
		if (job.attempt() >= properties.maxAttempts()) {
			logger.warn("Retraining of {} gave up after {} attempts", job.model(), job.attempt());
			return;
		}
		Mono.delay(properties.retryDelay())
			.then(Mono.defer(() -> trigger(job.model(), TriggerReason.RETRY, false, job.attempt() + 1)))
			.subscribe(result -> {
			}, ex -> logger.warn("Retrying the retraining of {} failed: {}", job.model(), ex.toString()));
	}

	private static RetrainingJob with(RetrainingJob job, JobStatus status, long startedAt, String baseVersion,
			Snapshot snapshot, Path work, String handle, String detail) {
		return new RetrainingJob(job.id(), job.model(), job.reason(), job.attempt(), status, job.requestedAt(),
				startedAt, null, baseVersion, snapshot.digest(), snapshot.rows(), work.toString(), handle, null, null,
				detail, null, null);
	}

	private Counter counter(String name, String model, String kind, Enum<?> value, String outcome) {
		Counter.Builder builder = Counter.builder(name).tag("model", model).tag(kind,
				value.name().toLowerCase(Locale.ROOT));
		if (outcome != null) {
			builder.tag("outcome", outcome);
		}
		return builder.register(meters);
	}

	/** The jobs a previous run left active: a running one is followed again, one left preparing failed. */
	@Override
	public void start() {
		running = true;
		List<RetrainingJob> active = jobs.active().block(Duration.ofMinutes(1));
		for (RetrainingJob job : active == null ? List.<RetrainingJob>of() : active) {
			if (job.status() == JobStatus.RUNNING && job.handle() != null && job.workDir() != null) {
				logger.info("Following retraining job {} of {} again (handle {})", job.id(), job.model(), job.handle());
				Mono.fromRunnable(() -> {
					try {
						follow(job, launcher.reattach(job.handle(), Path.of(job.workDir())));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}).subscribeOn(Schedulers.boundedElastic()).subscribe();
			}
			else {
				Mono.fromRunnable(() -> finish(job, JobStatus.FAILED, null, null,
						"monitoring stopped while the job was being prepared", null, null))
					.subscribeOn(Schedulers.boundedElastic())
					.subscribe();
			}
		}
	}

	@Override
	public void stop() {
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

}
