package dev.flywheel.monitoring.quality;

/**
 * The quality of a regressor's labelled predictions, with errors {@code e_i = predicted_i - true_i} over n rows.
 * Without rows every metric is {@code NaN}.
 *
 * @param rows the labelled predictions (n)
 * @param meanAbsoluteError {@code Σ|e_i| / n}
 * @param rootMeanSquaredError {@code sqrt(Σ e_i² / n)}
 * @param meanError {@code Σ e_i / n}, the bias: positive when the model predicts too high
 */
public record RegressionQuality(long rows, double meanAbsoluteError, double rootMeanSquaredError,
		double meanError) {

}
