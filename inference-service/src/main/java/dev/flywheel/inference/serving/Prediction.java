package dev.flywheel.inference.serving;

import java.util.List;

/**
 * The answer to one request: what the model computed for each row, the version that computed it, and the id each row's
 * prediction carries (which feedback and monitoring use).
 *
 * @param model the registered model name
 * @param version the version number that computed the outputs
 * @param rows the validated input
 * @param outputs the model's outputs, {@code width} per row, row-major (class probabilities for a classifier)
 * @param width the outputs per row
 * @param predictionIds one id per row
 */
public record Prediction(String model, String version, Rows rows, float[] outputs, int width,
		List<String> predictionIds) {

	public int count() {
		return rows.count();
	}

	/** The class names, in output column order; null for a regression. */
	public List<String> classes() {
		return rows.schema().classes();
	}

	public boolean isClassification() {
		return classes() != null;
	}

	public float output(int row, int column) {
		return outputs[row * width + column];
	}

	/** The most probable class of {@code row} (the first one on a tie). */
	public String label(int row) {
		int best = 0;
		for (int column = 1; column < width; column++) {
			if (output(row, column) > output(row, best)) {
				best = column;
			}
		}
		return classes().get(best);
	}

}
