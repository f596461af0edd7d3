package dev.flywheel.training.trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.Dataset.Example;
import dev.flywheel.training.dataset.DatasetLoader;
import dev.flywheel.training.spec.SpecReader;
import dev.flywheel.training.spec.TrainingSpec;

/**
 * The training benchmark of docs/benchmarks.md (run by bench/training-bench.sh, not a test): the pipeline's
 * {@link Trainer} against a bare DL4J fit loop on the same rows and network, in one run, and the pipeline's run time
 * at 1x, 10x and 100x the digits rows (synthetic rows resampled from the digits with pixel noise).
 * Each scale trains {@code epochs / scale} epochs (at least one), so that every measured run is long enough to time on
 * a noisy machine; throughput is per example and run time is reported per epoch.
 * Arguments: [epochs=30] [repeats=3] [scales=1,10,100].
 */
public final class TrainingBenchmark {

	public static void main(String[] args) {
		int baseEpochs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
		int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		int[] scales = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
				: new int[] { 1, 10, 100 };
		Path specFile = Path.of("examples", "digits.yaml");
		TrainingSpec base = SpecReader.read(specFile);
		Dataset digits = DatasetLoader.load(base.dataset(), null);
		Determinism.pin();
		System.out.printf(Locale.ROOT, "digits: %d rows, %d inputs, network %s, batch %d, %d epochs / scale, median of "
				+ "%d%n", digits.examples().size(), digits.inputWidth(), base.network().hidden(),
				base.training().batchSize(), baseEpochs, repeats);
		System.out.println("| rows | training rows | pipeline examples/s | bare loop, gathered batches | overhead vs it "
				+ "| bare loop, ListDataSetIterator idiom | overhead vs it | epochs | pipeline time per epoch |");
		System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
		for (int scale : scales) {
			int epochs = Math.max(1, baseEpochs / scale);
			TrainingSpec spec = new TrainingSpec(base.model(), base.dataset(), base.split(), base.network(),
					new TrainingSpec.TrainingSettings(base.training().updater(), base.training().learningRate(), epochs,
							base.training().batchSize(), null),
					base.seed(), base.gate(), base.registry(), null);
			Dataset data = scale == 1 ? digits : synthetic(digits, scale, spec.seed());
			Split split = Split.of(data, spec.split(), spec.seed());
			long trainRows = split.train().examples().size();
			pipeline(split, spec);
			bare(split, spec, true);
			bare(split, spec, false);
			double[] pipelineSeconds = new double[repeats];
			double[] gatheredSeconds = new double[repeats];
			double[] idiomSeconds = new double[repeats];
			for (int r = 0; r < repeats; r++) {
				pipelineSeconds[r] = pipeline(split, spec);
				gatheredSeconds[r] = bare(split, spec, true);
				idiomSeconds[r] = bare(split, spec, false);
			}
			double pipeline = median(pipelineSeconds);
			double gathered = median(gatheredSeconds);
			double idiom = median(idiomSeconds);
			System.out.printf(Locale.ROOT, "| %d (%dx) | %d | %.0f | %.0f | %+.1f%% | %.0f | %+.1f%% | %d | %.3f s |%n",
					data.examples().size(), scale, trainRows, trainRows * epochs / pipeline,
					trainRows * epochs / gathered, (pipeline / gathered - 1) * 100, trainRows * epochs / idiom,
					(pipeline / idiom - 1) * 100, epochs, pipeline / epochs);
		}
	}

	/** The pipeline's training: tensors, normalizer, seeded shuffles, validation scoring and early-stopping checks. */
	private static double pipeline(Split split, TrainingSpec spec) {
		long start = System.nanoTime();
		Trainer.train(split, spec, (m, e, t) -> {
		});
		return (System.nanoTime() - start) / 1e9;
	}

	/**
	 * The bare loop: the same rows made into a standardised DataSet, the same network fitted on them in batches, and
	 * nothing else (no validation, no early stopping). {@code gathered}: the pipeline's own batching (each shuffled
	 * minibatch gathered in one operation); otherwise DL4J's usual idiom, a ListDataSetIterator over the rows in order.
	 */
	private static double bare(Split split, TrainingSpec spec, boolean gathered) {
		long start = System.nanoTime();
		DataSet train = Tensors.dataSet(split.train());
		NormalizerStandardize normalizer = new NormalizerStandardize();
		normalizer.fit(train);
		normalizer.transform(train);
		List<DataSet> rows = gathered ? List.of() : train.asList();
		MultiLayerNetwork network = Networks.build(spec, split.train().inputWidth(), split.train().classes().size());
		for (int epoch = 0; epoch < spec.training().epochs(); epoch++) {
			if (gathered) {
				network.fit(new ListDataSetIterator<>(
						Trainer.batches(train, spec.training().batchSize(), new Random(epoch)), 1));
			}
			else {
				network.fit(new ListDataSetIterator<>(rows, spec.training().batchSize()));
			}
		}
		return (System.nanoTime() - start) / 1e9;
	}

	/** {@code scale} times the rows: each a random digit with every pixel moved by -1, 0 or +1 within 0..16. */
	private static Dataset synthetic(Dataset digits, int scale, long seed) {
		Random random = new Random(seed);
		List<Example> examples = new ArrayList<>(digits.examples().size() * scale);
		for (int i = 0; i < digits.examples().size() * scale; i++) {
			Example source = digits.examples().get(random.nextInt(digits.examples().size()));
			double[] values = source.values().clone();
			for (int j = 0; j < values.length; j++) {
				values[j] = Math.max(0, Math.min(16, values[j] + random.nextInt(3) - 1));
			}
			examples.add(new Example(values, source.label()));
		}
		return digits.withExamples(examples);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
