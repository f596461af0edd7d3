package dev.flywheel.training.dataset;

import java.util.List;
import java.util.Objects;

/**
 * A dataset ready to train on: typed features in model order, the classes, and one example per row. A categorical
 * feature's value is the index of its category in the feature's vocabulary; {@link #encode} turns an example into the
 * model's input, categorical features one-hot encoded.
 */
public record Dataset(List<Feature> features, String label, List<String> classes, List<Example> examples,
		List<Source> sources) {

	public Dataset {
		features = List.copyOf(features);
		classes = List.copyOf(classes);
		examples = List.copyOf(examples);
		sources = List.copyOf(sources);
	}

	public enum Kind {

		NUMERIC, CATEGORICAL

	}

	public record Feature(String name, Kind kind, List<String> categories) {

		public Feature {
			Objects.requireNonNull(name, "name");
			categories = categories == null ? List.of() : List.copyOf(categories);
		}

		int width() {
			return kind == Kind.NUMERIC ? 1 : categories.size();
		}

	}

	/** One row: feature values (category indexes for categorical features) and the index of its class. */
	public record Example(double[] values, int label) {
	}

	/**
	 * A file the rows came from.
	 *
	 * @param role {@code base} or {@code feedback}
	 */
	public record Source(String path, String sha256, int rows, String role) {
	}

	public int inputWidth() {
		return features.stream().mapToInt(Feature::width).sum();
	}

	/** The model input for {@code example}: numeric values as they are, categories one-hot. */
	public double[] encode(Example example) {
		double[] encoded = new double[inputWidth()];
		int column = 0;
		for (int i = 0; i < features.size(); i++) {
			Feature feature = features.get(i);
			if (feature.kind() == Kind.NUMERIC) {
				encoded[column++] = example.values()[i];
			}
			else {
				encoded[column + (int) example.values()[i]] = 1;
				column += feature.width();
			}
		}
		return encoded;
	}

	public Dataset withExamples(List<Example> subset) {
		return new Dataset(features, label, classes, subset, sources);
	}

}
