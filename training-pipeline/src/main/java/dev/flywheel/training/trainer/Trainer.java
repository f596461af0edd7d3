package dev.flywheel.training.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.spec.TrainingSpec;
import dev.flywheel.training.spec.TrainingSpec.EarlyStopping;

/**
 * Trains the spec's network on the training split: inputs standardised with statistics of the training rows only,
 * mini-batches in a seeded order each epoch, early stopping on the validation split keeping the best epoch's
 * parameters. Single-threaded BLAS, so the same data, spec and seed give bit-identical parameters.
 */
public final class Trainer {

	/** Told after every epoch, for a progress display. */
	public interface Progress {

		void epoch(EpochMetrics metrics, int epochs, Duration elapsed);

	}

	public record EpochMetrics(int epoch, double trainLoss, double validationLoss, double validationAccuracy) {
	}

	/** The trained network with the normalizer its inputs need, and how training went. */
	public record TrainedModel(MultiLayerNetwork network, NormalizerStandardize normalizer, int bestEpoch,
			List<EpochMetrics> history) {
	}

	private Trainer() {
	}

	public static TrainedModel train(Split split, TrainingSpec spec, Progress progress) {
		Determinism.pin();
		long started = System.nanoTime();
		DataSet train = Tensors.dataSet(split.train());
		DataSet validation = split.validation().examples().isEmpty() ? null : Tensors.dataSet(split.validation());
		NormalizerStandardize normalizer = new NormalizerStandardize();
		normalizer.fit(train);
		normalizer.transform(train);
		if (validation != null) {
			normalizer.transform(validation);
		}
		MultiLayerNetwork network = Networks.build(spec, split.train().inputWidth(), split.train().classes().size());
		EarlyStopping stopping = spec.training().earlyStopping();
		List<DataSet> rows = train.asList();
		List<EpochMetrics> history = new ArrayList<>();
		INDArray best = null;
		double bestScore = Double.POSITIVE_INFINITY;
		int bestEpoch = 0;
		for (int epoch = 1; epoch <= spec.training().epochs(); epoch++) {
			Collections.shuffle(rows, new Random(spec.seed() * 1_000_003L + epoch));
			network.fit(new ListDataSetIterator<>(rows, spec.training().batchSize()));
			DataSet judged = validation != null ? validation : train;
			EpochMetrics metrics = new EpochMetrics(epoch, network.score(train), network.score(judged),
					accuracy(network.output(judged.getFeatures()), judged.getLabels()));
			history.add(metrics);
			progress.epoch(metrics, spec.training().epochs(), Duration.ofNanos(System.nanoTime() - started));
			if (stopping != null) {
				double score = stopping.metric().equals("validation_accuracy") ? -metrics.validationAccuracy()
						: metrics.validationLoss();
				if (score < bestScore) {
					bestScore = score;
					bestEpoch = epoch;
					best = network.params().dup();
				}
				else if (epoch - bestEpoch >= stopping.patience()) {
					break;
				}
			}
			else {
				bestEpoch = epoch;
			}
		}
		if (best != null) {
			network.setParams(best);
		}
		return new TrainedModel(network, normalizer, bestEpoch, history);
	}

	static double accuracy(INDArray probabilities, INDArray oneHot) {
		INDArray predicted = Nd4j.argMax(probabilities, 1);
		INDArray actual = Nd4j.argMax(oneHot, 1);
		long rows = predicted.length();
		long correct = 0;
		for (long i = 0; i < rows; i++) {
			correct += predicted.getLong(i) == actual.getLong(i) ? 1 : 0;
		}
		return rows == 0 ? 0 : (double) correct / rows;
	}

}
