package dev.flywheel.monitoring.quality;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A classifier's prediction joined with its matured feedback.
 * <p>
 * The label a row is scored on ({@link #servedLabel()}) is the predicted label when there is one, and otherwise the
 * class of the highest probability. The top class of the probabilities ({@link #topClass()}) is what calibration is
 * measured on, so that confidence and correctness refer to the same class; the two coincide for a model that serves
 * its most probable class.
 *
 * @param predictedLabel the label the model served, {@code null} to take the top class of {@code probabilities}
 * @param probabilities the probability of each class, {@code null} or empty when the model gave none; the values
 * must be finite and in [0, 1] and are taken as given (not renormalised)
 * @param trueLabel the label the feedback gave
 * @param predictedAt when the prediction was made, in epoch milliseconds
 * @param receivedAt when the feedback was received, in epoch milliseconds
 */
public record LabelledPrediction(String predictedLabel, Map<String, Double> probabilities, String trueLabel,
		long predictedAt, long receivedAt) {

	public LabelledPrediction {
		if (trueLabel == null) {
			throw new IllegalArgumentException("A labelled prediction needs its true label");
		}
		if (probabilities != null) {
			probabilities.forEach((label, probability) -> {
				if (label == null || probability == null || !(probability >= 0 && probability <= 1)) {
					throw new IllegalArgumentException(
							"Probabilities must be in [0, 1] by class: " + label + " = " + probability);
				}
			});
			probabilities = probabilities.isEmpty() ? null : new TreeMap<>(probabilities);
		}
		if (predictedLabel == null && probabilities == null) {
			throw new IllegalArgumentException("A labelled prediction needs a predicted label or probabilities");
		}
	}

	/** A prediction served without probabilities. */
	public static LabelledPrediction of(String predictedLabel, String trueLabel, long predictedAt, long receivedAt) {
		return new LabelledPrediction(predictedLabel, null, trueLabel, predictedAt, receivedAt);
	}

	/** A prediction served as the top class of {@code probabilities}. */
	public static LabelledPrediction of(Map<String, Double> probabilities, String trueLabel, long predictedAt,
			long receivedAt) {
		return new LabelledPrediction(null, probabilities, trueLabel, predictedAt, receivedAt);
	}

	/** The probabilities by class in class order, {@code null} when the model gave none. */
	@Override
	public Map<String, Double> probabilities() {
		return (this.probabilities != null) ? Collections.unmodifiableMap(this.probabilities) : null;
	}

	/** Whether the model gave probabilities. */
	public boolean hasProbabilities() {
		return this.probabilities != null;
	}

	/**
	 * The class of the highest probability, the first in class order on a tie; {@code null} without probabilities.
	 */
	public String topClass() {
		if (this.probabilities == null) {
			return null;
		}
		String top = null;
		double highest = -1;
		for (Map.Entry<String, Double> entry : this.probabilities.entrySet()) {
			if (entry.getValue() > highest) {
				top = entry.getKey();
				highest = entry.getValue();
			}
		}
		return top;
	}

	/** The label this row is scored on: the predicted label, or the top class when there is none. */
	public String servedLabel() {
		return (this.predictedLabel != null) ? this.predictedLabel : topClass();
	}

	/** {@code receivedAt - predictedAt} in milliseconds. */
	public long labelDelayMillis() {
		return this.receivedAt - this.predictedAt;
	}

}
