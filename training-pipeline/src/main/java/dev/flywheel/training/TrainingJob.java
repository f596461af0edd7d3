package dev.flywheel.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.deeplearning4j.util.ModelSerializer;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.Lineage;
import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.Signature;
import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.Dataset.Kind;
import dev.flywheel.training.dataset.DatasetLoader;
import dev.flywheel.training.evaluation.Evaluation;
import dev.flywheel.training.evaluation.Profiles;
import dev.flywheel.training.spec.TrainingSpec;
import dev.flywheel.training.trainer.Determinism;
import dev.flywheel.training.trainer.Split;
import dev.flywheel.training.trainer.Tensors;
import dev.flywheel.training.trainer.Trainer;
import dev.flywheel.training.trainer.Trainer.TrainedModel;

/**
 * From a spec to a bundle on disk: load the data, split it, train, evaluate on the test split, profile, and write the
 * bundle with its lineage. Always returns the model together with the record of how it was made.
 */
public final class TrainingJob {

	/** The pipeline's version, recorded in every lineage. */
	public static final String VERSION = "0.1.0-SNAPSHOT";

	public static final String DL4J_VERSION = "1.0.0-M2.1";

	private TrainingJob() {
	}

	/** A trained candidate: its bundle and how training went. */
	public record Candidate(Bundle bundle, TrainedModel model, Split split) {
	}

	public static Candidate train(TrainingSpec spec, Path specFile, Path bundleDirectory, Trainer.Progress progress) {
		Instant started = Instant.now();
		Path feedback = spec.feedback() == null ? null : spec.feedback().path();
		Dataset dataset = DatasetLoader.load(spec.dataset(), feedback);
		Split split = Split.of(dataset, spec.split(), spec.seed());
		TrainedModel model = Trainer.train(split, spec, progress);
		double[][] probabilities = Tensors.probabilities(model.network(), model.normalizer(), split.test());
		int[] labels = split.test().examples().stream().mapToInt(Dataset.Example::label).toArray();
		HeldOutMetrics metrics = Evaluation.of(probabilities, labels, dataset.classes());
		ReferenceProfile profile = Profiles.of(split.train(), probabilities);
		Lineage lineage = lineage(spec, specFile, dataset, started);
		try {
			Path modelZip = Files.createTempFile("flywheel-model-", ".zip");
			try {
				ModelSerializer.writeModel(model.network(), modelZip.toFile(), true);
				ModelSerializer.addNormalizerToModel(modelZip.toFile(), model.normalizer());
				Bundle bundle = Bundle.write(bundleDirectory, modelZip, signature(dataset), profile, metrics, lineage);
				return new Candidate(bundle, model, split);
			}
			finally {
				Files.deleteIfExists(modelZip);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the model of " + spec.model(), ex);
		}
	}

	static Signature signature(Dataset dataset) {
		List<Signature.Input> inputs = dataset.features()
			.stream()
			.map(f -> f.kind() == Kind.NUMERIC ? Signature.Input.numeric(f.name())
					: Signature.Input.categorical(f.name(), f.categories()))
			.toList();
		return new Signature(inputs, Signature.Output.classification(dataset.classes()));
	}

	private static Lineage lineage(TrainingSpec spec, Path specFile, Dataset dataset, Instant started) {
		List<Lineage.Dataset> sources = dataset.sources()
			.stream()
			.map(s -> new Lineage.Dataset(s.path(), s.sha256(), s.rows(), s.role()))
			.toList();
		String feedbackDigest = dataset.sources()
			.stream()
			.filter(s -> s.role().equals("feedback"))
			.map(Dataset.Source::sha256)
			.findFirst()
			.orElse(null);
		return new Lineage(sources, Digests.file(specFile), spec.seed(),
				new Lineage.Code(VERSION, GitCommit.current()),
				new Lineage.Runtime(System.getProperty("java.version"), DL4J_VERSION, System.getProperty("os.name"),
						System.getProperty("os.arch"), Determinism.blasThreads(), Determinism.openblasCoretype(),
						hostName()),
				spec.feedback() == null ? null : spec.feedback().parentVersion(), feedbackDigest, started.toString(),
				Instant.now().toString());
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return Lineage.UNKNOWN;
		}
	}

}
