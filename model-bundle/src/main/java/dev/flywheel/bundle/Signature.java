package dev.flywheel.bundle;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a model takes and gives ({@code signature.json}): its input features in the order the model reads them, and
 * its output. Categorical inputs carry their vocabulary, in the order of the one-hot columns the model was trained on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signature(List<Input> inputs, Output output) {

	public Signature {
		inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
		Objects.requireNonNull(output, "output");
		if (inputs.isEmpty()) {
			throw new IllegalArgumentException("A signature needs at least one input");
		}
		if (inputs.stream().map(Input::name).distinct().count() != inputs.size()) {
			throw new IllegalArgumentException("Input names must be unique: " + inputs.stream().map(Input::name).toList());
		}
	}

	/** The feature types of DESIGN.md. */
	public enum FeatureType {

		@JsonProperty("double")
		DOUBLE, @JsonProperty("long")
		LONG, @JsonProperty("string")
		STRING, @JsonProperty("category")
		CATEGORY

	}

	/** The two kinds of output a bundle can hold. */
	public enum OutputKind {

		@JsonProperty("classification")
		CLASSIFICATION, @JsonProperty("regression")
		REGRESSION

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Input(String name, FeatureType type, List<String> categories) {

		public Input {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(type, "type");
			if (type == FeatureType.CATEGORY) {
				if (categories == null || categories.isEmpty()) {
					throw new IllegalArgumentException("Categorical input '" + name + "' needs its categories");
				}
				categories = List.copyOf(categories);
			}
			else if (categories != null) {
				throw new IllegalArgumentException("Input '" + name + "' is " + type + ", so it has no categories");
			}
		}

		public static Input numeric(String name) {
			return new Input(name, FeatureType.DOUBLE, null);
		}

		public static Input categorical(String name, List<String> categories) {
			return new Input(name, FeatureType.CATEGORY, categories);
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Output(OutputKind kind, List<String> classes) {

		public Output {
			Objects.requireNonNull(kind, "kind");
			if (kind == OutputKind.CLASSIFICATION) {
				if (classes == null || classes.size() < 2) {
					throw new IllegalArgumentException("A classification output needs at least two classes");
				}
				classes = List.copyOf(classes);
			}
		}

		public static Output classification(List<String> classes) {
			return new Output(OutputKind.CLASSIFICATION, classes);
		}

	}

}
