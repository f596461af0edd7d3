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
		MinibatchLoss minibatchLoss = new MinibatchLoss();
		network.addListeners(minibatchLoss);
		List<EpochMetrics> history = new ArrayList<>();
		INDArray best = null;
		double bestScore = Double.POSITIVE_INFINITY;
		int bestEpoch = 0;
		for (int epoch = 1; epoch <= spec.training().epochs(); epoch++) {
			minibatchLoss.reset();
			network.fit(new ListDataSetIterator<>(
					batches(train, spec.training().batchSize(), new Random(spec.seed() * 1_000_003L + epoch)), 1));
			DataSet judged = validation != null ? validation : train;
			double trainLoss = minibatchLoss.mean();
			EpochMetrics metrics = new EpochMetrics(epoch, trainLoss,
					validation != null ? network.score(validation) : trainLoss,
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

	/**
	 * The epoch's minibatches in a seeded random order, each gathered from the training arrays in one operation:
	 * merging single-row DataSets after shuffling them costs a third of the training time at 100,000 rows.
	 */
	static List<DataSet> batches(DataSet train, int batchSize, Random random) {
		int rows = train.numExamples();
		List<Integer> order = new ArrayList<>(rows);
		for (int i = 0; i < rows; i++) {
			order.add(i);
		}
		Collections.shuffle(order, random);
		List<DataSet> batches = new ArrayList<>((rows + batchSize - 1) / batchSize);
		for (int from = 0; from < rows; from += batchSize) {
			int[] indexes = order.subList(from, Math.min(rows, from + batchSize)).stream().mapToInt(Integer::intValue)
				.toArray();
			batches.add(new DataSet(Nd4j.pullRows(train.getFeatures(), 1, indexes),
					Nd4j.pullRows(train.getLabels(), 1, indexes)));
		}
		return batches;
	}

	/**
	 * The epoch's training loss as the mean of its minibatch losses, which fit computes anyway: a second pass over
	 * the training rows would cost as much as a third of the training time on small networks.
	 */
	private static final class MinibatchLoss extends org.deeplearning4j.optimize.api.BaseTrainingListener {

		private double sum;

		private int count;

		@Override
		public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
			sum += model.score();
			count++;
		}

		void reset() {
			sum = 0;
			count = 0;
		}

		double mean() {
			return count == 0 ? Double.NaN : sum / count;
		}

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
