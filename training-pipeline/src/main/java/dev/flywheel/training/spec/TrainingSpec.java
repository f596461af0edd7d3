package dev.flywheel.training.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training spec, as read from its YAML file: the registered model name, the dataset, the split, the network, the
 * training settings, the seed, the validation gate and the registry. Relative paths are resolved against the spec
 * file's directory.
 */
public record TrainingSpec(String model, DatasetSpec dataset, SplitSpec split, NetworkSpec network,
		TrainingSettings training, long seed, GateSpec gate, URI registry, FeedbackSpec feedback) {

	public TrainingSpec {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(dataset, "dataset");
		Objects.requireNonNull(split, "split");
		Objects.requireNonNull(network, "network");
		Objects.requireNonNull(training, "training");
		Objects.requireNonNull(gate, "gate");
	}

	/**
	 * @param features the feature columns in order; empty means every column but the label
	 * @param categorical string columns to one-hot encode (columns whose values are not numbers are categorical anyway)
	 */
	public record DatasetSpec(Path path, String label, List<String> features, List<String> categorical) {

		public DatasetSpec {
			features = List.copyOf(features);
			categorical = List.copyOf(categorical);
		}

	}

	public record SplitSpec(double test, double validation, boolean stratify) {
	}

	public record NetworkSpec(List<HiddenLayer> hidden, double l2) {

		public NetworkSpec {
			hidden = List.copyOf(hidden);
		}

	}

	public record HiddenLayer(int units, String activation, double dropout) {
	}

	public record TrainingSettings(String updater, double learningRate, int epochs, int batchSize,
			EarlyStopping earlyStopping) {
	}

	/** Stop when {@code metric} has not improved for {@code patience} epochs, keeping the best epoch's parameters. */
	public record EarlyStopping(String metric, int patience) {
	}

	/**
	 * The validation gate: absolute thresholds on held-out metrics ({@code min} for metrics where higher is better,
	 * {@code max} for losses) and the largest drop allowed against the champion.
	 */
	public record GateSpec(Map<String, Double> min, Map<String, Double> max, Map<String, Double> maxDropVsChampion) {

		public GateSpec {
			min = Map.copyOf(min);
			max = Map.copyOf(max);
			maxDropVsChampion = Map.copyOf(maxDropVsChampion);
		}

	}

	/** Labelled production data added to the base dataset for a retraining, and the version it retrains. */
	public record FeedbackSpec(Path path, String parentVersion) {
	}

}
