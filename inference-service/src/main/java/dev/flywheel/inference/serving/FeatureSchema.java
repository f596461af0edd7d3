package dev.flywheel.inference.serving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.Signature.FeatureType;
import dev.flywheel.bundle.Signature.Input;

/**
 * How a signature's features become the model's input columns, as training encoded them: numbers as they are,
 * categories one-hot in the order of their vocabulary.
 */
public final class FeatureSchema {

	private final Signature signature;

	private final Map<String, Integer> positions = new HashMap<>();

	private final int[] offsets;

	private final List<Map<String, Integer>> categoryIndexes = new ArrayList<>();

	private final int width;

	public FeatureSchema(Signature signature) {
		this.signature = signature;
		List<Input> inputs = signature.inputs();
		this.offsets = new int[inputs.size()];
		int column = 0;
		for (int i = 0; i < inputs.size(); i++) {
			Input input = inputs.get(i);
			positions.put(input.name(), i);
			offsets[i] = column;
			Map<String, Integer> categories = new HashMap<>();
			if (isCategorical(input)) {
				for (int c = 0; c < input.categories().size(); c++) {
					categories.put(input.categories().get(c), c);
				}
				column += input.categories().size();
			}
			else {
				column++;
			}
			categoryIndexes.add(categories);
		}
		this.width = column;
	}

	public Signature signature() {
		return signature;
	}

	public List<Input> inputs() {
		return signature.inputs();
	}

	public List<String> featureNames() {
		return signature.inputs().stream().map(Input::name).toList();
	}

	/** The classes the model's output columns stand for. */
	public List<String> classes() {
		return signature.output().classes();
	}

	/** The number of model input columns. */
	public int width() {
		return width;
	}

	/** The position of a feature in the signature, or -1 when the model has no such feature. */
	public int position(String name) {
		return positions.getOrDefault(name, -1);
	}

	public boolean isNumeric(int feature) {
		return !isCategorical(signature.inputs().get(feature));
	}

	/** Whether every feature is a number, so that rows can come as one numeric matrix. */
	public boolean allNumeric() {
		return signature.inputs().stream().noneMatch(FeatureSchema::isCategorical);
	}

	public RowsBuilder rows(int count) {
		return new RowsBuilder(this, count);
	}

	int offset(int feature) {
		return offsets[feature];
	}

	Integer categoryIndex(int feature, String value) {
		return categoryIndexes.get(feature).get(value);
	}

	private static boolean isCategorical(Input input) {
		return input.type() == FeatureType.CATEGORY || input.type() == FeatureType.STRING;
	}

}
