package dev.flywheel.training.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.training.TempDirectories;
import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.evaluation.Evaluation;
import dev.flywheel.training.trainer.Tensors;

/** The current champion, evaluated on the candidate's held-out rows so that the gate compares like with like. */
public final class Champion {

	public static final String CHAMPION = "champion";

	public static final String CHALLENGER = "challenger";

	private Champion() {
	}

	public record Evaluated(String version, HeldOutMetrics metrics) {
	}

	/** A champion that cannot be evaluated on the candidate's rows; the gate fails with its message. */
	public static final class IncomparableChampionException extends RuntimeException {

		IncomparableChampionException(String message) {
			super(message);
		}

	}

	/**
	 * The champion's metrics on {@code heldOut}; empty when the model has no champion. A champion whose signature
	 * differs from the candidate's (other features or classes) cannot be compared and is reported as such.
	 */
	public static Optional<Evaluated> evaluate(RegistryClient registry, String model, Dataset heldOut,
			dev.flywheel.bundle.Signature candidateSignature) {
		Optional<RegistryClient.Version> champion = registry.find(model, CHAMPION);
		if (champion.isEmpty()) {
			return Optional.empty();
		}
		Path work = TempDirectories.create("flywheel-champion-");
		try {
			Bundle bundle = registry.fetch(model, champion.get().version(), work.resolve("bundle"));
			if (!bundle.signature().equals(candidateSignature)) {
				throw new IncomparableChampionException("The champion (version " + champion.get().version()
						+ ") takes other inputs or predicts other classes than the candidate, so they cannot be "
						+ "compared on the same rows; drop gate.max_drop_vs_champion to publish it anyway");
			}
			Pair<MultiLayerNetwork, Normalizer> restored = ModelSerializer
				.restoreMultiLayerNetworkAndNormalizer(bundle.modelFile().toFile(), false);
			double[][] probabilities = Tensors.probabilities(restored.getFirst(),
					(DataNormalization) restored.getSecond(), heldOut);
			int[] labels = heldOut.examples().stream().mapToInt(Dataset.Example::label).toArray();
			return Optional.of(new Evaluated(champion.get().version(),
					Evaluation.of(probabilities, labels, heldOut.classes())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot restore the champion of " + model, ex);
		}
		finally {
			TempDirectories.deleteQuietly(work);
		}
	}

}
