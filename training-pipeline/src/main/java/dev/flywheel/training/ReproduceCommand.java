package dev.flywheel.training;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.deeplearning4j.util.ModelSerializer;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.training.publish.RunLog;
import dev.flywheel.training.spec.SpecReader;
import dev.flywheel.training.spec.TrainingSpec;

/**
 * {@code reproduce RUN_ID}: trains again from what the run recorded (its spec artifact, resolved against the directory
 * it was trained from, and the dataset there) and reports how the result differs from the version the run registered:
 * the dataset digest, the bundle digest, the parameters (how many differ, and by how much at most) and every held-out
 * metric. Exit 0 when the bundle digest is the same, 1 when anything differs.
 */
@Command(name = "reproduce", description = "Re-run a logged training run and report how the result differs.")
final class ReproduceCommand implements Callable<Integer> {

	@Parameters(index = "0", description = "the MLflow run id of the training run")
	String runId;

	@Option(names = "--registry", defaultValue = "${env:FLYWHEEL_REGISTRY_URL:-http://127.0.0.1:5000}",
			description = "the MLflow tracking server")
	URI registry;

	@Option(names = "--data-dir", description = "resolve the spec's relative paths here instead of where the run was "
			+ "trained from")
	Path dataDirectory;

	private final PrintStream out;

	ReproduceCommand(PrintStream out) {
		this.out = out;
	}

	@Override
	public Integer call() throws IOException {
		MlflowClient mlflow = new MlflowClient(registry.toString());
		RegistryClient client = new RegistryClient(registry, System.getenv("FLYWHEEL_SECURITY_TOKEN"),
				Duration.ofSeconds(60));
		Run run = mlflow.getRun(runId);
		Map<String, String> tags = run.getData().getTagsList().stream()
			.collect(Collectors.toMap(RunTag::getKey, RunTag::getValue, (a, b) -> b));
		String version = tags.get(TrainCommand.MODEL_VERSION_TAG);
		if (version == null) {
			throw new InvalidInputException("Run " + runId + " registered no model version, so there is nothing to "
					+ "compare a reproduction with");
		}
		String model = mlflow.getExperiment(run.getInfo().getExperimentId()).getName();
		Path work = TempDirectories.create("flywheel-reproduce-");
		try {
			return reproduce(client, run, tags, model, version, work);
		}
		finally {
			TempDirectories.deleteQuietly(work);
		}
	}

	private int reproduce(RegistryClient client, Run run, Map<String, String> tags, String model, String version,
			Path work) throws IOException {
		Path specFile = work.resolve(TrainCommand.SPEC_ARTIFACT);
		client.downloadArtifact(runId, TrainCommand.SPEC_ARTIFACT, specFile);
		Path base = dataDirectory != null ? dataDirectory : Path.of(tags.getOrDefault(TrainCommand.SPEC_DIRECTORY_TAG, "."));
		TrainingSpec spec = SpecReader.read(specFile, base);

		out.println("Reproducing run " + runId + " (" + model + " version " + version + ")");
		String recordedData = tags.getOrDefault(RunLog.DATASET_DIGEST_TAG, "?");
		String currentData = Digests.file(spec.dataset().path());
		line("dataset " + spec.dataset().path(), recordedData, currentData);

		Bundle reproduced = TrainingJob.train(spec, specFile, work.resolve("reproduced"), (m, e, t) -> {
		}).bundle();
		Bundle recorded = client.fetch(model, version, work.resolve("recorded"));
		line("bundle digest", recorded.digest(), reproduced.digest());
		float[] before = parameters(recorded.modelFile());
		float[] after = parameters(reproduced.modelFile());
		if (before.length != after.length) {
			out.println("parameters: " + before.length + " recorded, " + after.length + " reproduced (other shapes)");
		}
		else {
			int differing = 0;
			double largest = 0;
			for (int i = 0; i < before.length; i++) {
				if (Float.floatToIntBits(before[i]) != Float.floatToIntBits(after[i])) {
					differing++;
					largest = Math.max(largest, Math.abs(before[i] - after[i]));
				}
			}
			out.println(String.format(Locale.ROOT, "parameters: %d of %d differ%s", differing, before.length,
					differing == 0 ? " (bit-identical)" : String.format(Locale.ROOT, ", by at most %.3g", largest)));
		}
		metrics(recorded.metrics(), reproduced.metrics());
		boolean same = recorded.digest().equals(reproduced.digest());
		out.println(same ? "Reproduced exactly." : "The reproduction differs.");
		return same ? 0 : 1;
	}

	private void line(String what, String recorded, String reproduced) {
		out.println(what + ": " + (recorded.equals(reproduced) ? "same " + recorded
				: "recorded " + recorded + ", now " + reproduced));
	}

	private void metrics(HeldOutMetrics recorded, HeldOutMetrics reproduced) {
		for (String name : new TreeSet<>(recorded.values().keySet())) {
			double a = recorded.values().get(name);
			Double b = reproduced.values().get(name);
			out.println(String.format(Locale.ROOT, "metric %s: recorded %.6f, reproduced %s", name, a,
					b == null ? "missing" : String.format(Locale.ROOT, "%.6f (%+.2e)", b, b - a)));
		}
	}

	private static float[] parameters(Path modelZip) throws IOException {
		return ModelSerializer.restoreMultiLayerNetwork(modelZip.toFile(), false).params().toFloatVector();
	}

}
