package dev.flywheel.training;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.DatasetLoader;
import dev.flywheel.training.evaluation.Evaluation;
import dev.flywheel.training.trainer.Tensors;

/**
 * {@code evaluate --model NAME [--version V] --data CSV --label COLUMN}: scores a registered version (a number or an
 * alias, the champion by default) on labelled rows, read with the version's own signature, and prints the metrics a
 * bundle records: accuracy, macro F1, log loss, per-class figures and the confusion matrix.
 */
@Command(name = "evaluate", description = "Score a registered model version on a labelled CSV.")
final class EvaluateCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "the registered model")
	String model;

	@Option(names = "--version", defaultValue = "champion", description = "a version number or an alias")
	String version;

	@Option(names = "--data", required = true, description = "a CSV with the model's feature columns and the label")
	Path data;

	@Option(names = "--label", required = true, description = "the label column of the CSV")
	String label;

	@Option(names = "--registry", defaultValue = "${env:FLYWHEEL_REGISTRY_URL:-http://127.0.0.1:5000}",
			description = "the MLflow tracking server")
	URI registry;

	private final PrintStream out;

	EvaluateCommand(PrintStream out) {
		this.out = out;
	}

	@Override
	public Integer call() throws IOException {
		RegistryClient client = new RegistryClient(registry, System.getenv("FLYWHEEL_SECURITY_TOKEN"),
				Duration.ofSeconds(60));
		Path work = TempDirectories.create("flywheel-evaluate-");
		try {
			return evaluate(client.fetch(model, version, work.resolve("bundle")));
		}
		finally {
			TempDirectories.deleteQuietly(work);
		}
	}

	private int evaluate(Bundle bundle) throws IOException {
		Dataset rows = DatasetLoader.loadFor(bundle.signature(), data, label);
		Pair<MultiLayerNetwork, Normalizer> restored = ModelSerializer
			.restoreMultiLayerNetworkAndNormalizer(bundle.modelFile().toFile(), false);
		double[][] probabilities = Tensors.probabilities(restored.getFirst(), (DataNormalization) restored.getSecond(),
				rows);
		int[] labels = rows.examples().stream().mapToInt(Dataset.Example::label).toArray();
		HeldOutMetrics metrics = Evaluation.of(probabilities, labels, rows.classes());
		out.println(model + " version " + version + " on " + data + " (" + metrics.rows() + " rows):");
		metrics.values().forEach((name, value) -> out.println(String.format(Locale.ROOT, "  %-10s %.4f", name, value)));
		metrics.perClass().forEach((name, figures) -> out.println(String.format(Locale.ROOT,
				"  class %-12s precision %.4f  recall %.4f  f1 %.4f  support %d", name, figures.precision(),
				figures.recall(), figures.f1(), figures.support())));
		out.println("  confusion matrix (rows: true class, columns: predicted): " + metrics.confusionMatrix());
		return 0;
	}

}
