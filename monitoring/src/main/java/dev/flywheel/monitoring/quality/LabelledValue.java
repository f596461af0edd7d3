package dev.flywheel.monitoring.quality;

/**
 * A regressor's prediction joined with its matured feedback.
 *
 * @param predictedValue the value the model served
 * @param trueValue the value the feedback gave
 * @param predictedAt when the prediction was made, in epoch milliseconds
 * @param receivedAt when the feedback was received, in epoch milliseconds
 */
public record LabelledValue(double predictedValue, double trueValue, long predictedAt, long receivedAt) {

	public LabelledValue {
		if (!Double.isFinite(predictedValue) || !Double.isFinite(trueValue)) {
			throw new IllegalArgumentException(
					"Predicted and true values must be finite: " + predictedValue + ", " + trueValue);
		}
	}

	/** {@code receivedAt - predictedAt} in milliseconds. */
	public long labelDelayMillis() {
		return this.receivedAt - this.predictedAt;
	}

}
