package dev.flywheel.training;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.training.publish.Champion;
import dev.flywheel.training.publish.Gate;
import dev.flywheel.training.publish.RunLog;
import dev.flywheel.training.spec.SpecReader;
import dev.flywheel.training.spec.TrainingSpec;

/**
 * {@code train --spec FILE}: trains, evaluates, gates against the champion, logs the run and publishes the bundle.
 * Exit 0 when the candidate passed the gate (it gets the alias {@code challenger}, or {@code champion} for the first
 * version), 1 when the gate rejected it (registered with the verdict, no alias), 2 on bad input, 3 when the registry
 * could not be reached or refused.
 */
@Command(name = "train", description = "Train, gate and publish a model from a training spec.")
final class TrainCommand implements Callable<Integer> {

	static final String GATE_TAG = "flywheel.gate";

	static final String GATE_REASONS_TAG = "flywheel.gate.reasons";

	/** The spec as the run's artifact, and the directory its relative paths were relative to: what reproduce needs. */
	static final String SPEC_ARTIFACT = "spec.yaml";

	static final String SPEC_DIRECTORY_TAG = "flywheel.spec.dir";

	static final String MODEL_VERSION_TAG = "flywheel.model_version";

	@Option(names = "--spec", required = true, description = "the training spec (YAML)")
	Path spec;

	@Option(names = "--registry", description = "the MLflow tracking server; else FLYWHEEL_REGISTRY_URL, the spec's "
			+ "registry, or http://127.0.0.1:5000")
	URI registry;

	@Option(names = "--timeout", defaultValue = "60s", description = "the longest one registry call may take")
	String timeout;

	private final PrintStream out;

	TrainCommand(PrintStream out) {
		this.out = out;
	}

	@Override
	public Integer call() throws Exception {
		TrainingSpec training = SpecReader.read(spec);
		URI tracking = trackingUri(training);
		String token = Optional.ofNullable(System.getenv("MLFLOW_TRACKING_TOKEN"))
			.or(() -> Optional.ofNullable(System.getenv("FLYWHEEL_SECURITY_TOKEN")))
			.orElse(null);
		MlflowClient mlflow = token == null ? new MlflowClient(tracking.toString())
				: new MlflowClient(new BasicMlflowHostCreds(tracking.toString(), token));
		RegistryClient registry = new RegistryClient(tracking, token, Duration.parse("PT" + timeout.toUpperCase()));

		Map<String, String> tags = new LinkedHashMap<>();
		tags.put(RunLog.SPEC_DIGEST_TAG, Digests.file(spec));
		tags.put(RunLog.DATASET_DIGEST_TAG, Digests.file(training.dataset().path()));
		tags.put(RunLog.GIT_COMMIT_TAG, GitCommit.current());
		tags.put(RunLog.CODE_VERSION_TAG, TrainingJob.VERSION);
		RunLog run = RunLog.start(mlflow, training.model(), tags);
		Thread killed = new Thread(() -> endQuietly(run, RunStatus.KILLED), "mark-run-killed");
		Runtime.getRuntime().addShutdownHook(killed);
		Path work = TempDirectories.create("flywheel-training-");
		try {
			out.println("Run " + run.runId() + " in experiment '" + training.model() + "' at " + tracking);
			run.params(SpecReader.flatten(spec));
			run.tag(SPEC_DIRECTORY_TAG, spec.toAbsolutePath().getParent().toString());
			registry.uploadArtifact(run.runId(), SPEC_ARTIFACT, spec);
			ConsoleProgress progress = new ConsoleProgress(out, System.console() != null);
			TrainingJob.Candidate candidate = TrainingJob.train(training, spec, work.resolve("bundle"), progress);
			progress.done();
			run.epochs(candidate.model().history());
			Bundle bundle = candidate.bundle();
			run.heldOut(bundle.metrics());

			Optional<Champion.Evaluated> champion;
			Gate.Verdict verdict;
			try {
				champion = Champion.evaluate(registry, training.model(), candidate.split().test(), bundle.signature());
				verdict = Gate.judge(training.gate(), bundle.metrics(),
						champion.map(Champion.Evaluated::metrics).orElse(null));
			}
			catch (Champion.IncomparableChampionException ex) {
				champion = Optional.empty();
				verdict = new Gate.Verdict(false, java.util.List.of(ex.getMessage()));
			}
			Map<String, String> versionTags = new LinkedHashMap<>();
			versionTags.put(GATE_TAG, verdict.tag());
			if (!verdict.passed()) {
				versionTags.put(GATE_REASONS_TAG, String.join("; ", verdict.reasons()));
			}
			champion.ifPresent(c -> versionTags.put("flywheel.gate.champion_version", c.version()));
			RegistryClient.Version version = registry.publish(bundle, training.model(), run.runId(), versionTags);
			String alias = null;
			if (verdict.passed()) {
				alias = champion.isPresent() || registry.find(training.model(), Champion.CHAMPION).isPresent()
						? Champion.CHALLENGER : Champion.CHAMPION;
				registry.setAlias(training.model(), alias, version.version());
			}
			run.tag(MODEL_VERSION_TAG, version.version());
			run.tag(GATE_TAG, verdict.tag());
			run.end(RunStatus.FINISHED);
			report(training, bundle, version, alias, verdict, champion);
			return verdict.passed() ? 0 : 1;
		}
		catch (RuntimeException | Error ex) {
			endQuietly(run, RunStatus.FAILED);
			throw ex;
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(killed);
			TempDirectories.deleteQuietly(work);
		}
	}

	private URI trackingUri(TrainingSpec training) {
		if (registry != null) {
			return registry;
		}
		String fromEnvironment = System.getenv("FLYWHEEL_REGISTRY_URL");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return URI.create(fromEnvironment);
		}
		return training.registry() != null ? training.registry() : URI.create("http://127.0.0.1:5000");
	}

	private void report(TrainingSpec training, Bundle bundle, RegistryClient.Version version, String alias,
			Gate.Verdict verdict, Optional<Champion.Evaluated> champion) {
		out.println("Model " + training.model() + " version " + version.version()
				+ (alias == null ? " (no alias)" : " -> alias " + alias));
		out.println("Held-out metrics (" + bundle.metrics().rows() + " rows): " + bundle.metrics().values());
		champion.ifPresent(c -> out.println("Champion version " + c.version() + " on the same rows: "
				+ c.metrics().values()));
		out.println("Gate: " + verdict.tag() + (verdict.reasons().isEmpty() ? "" : " - " + verdict.reasons()));
		out.println("Bundle digest: " + bundle.digest());
	}

	private static void endQuietly(RunLog run, RunStatus status) {
		try {
			run.end(status);
		}
		catch (RuntimeException ex) {
			// the registry is gone too; the run stays as it was
		}
	}

}
