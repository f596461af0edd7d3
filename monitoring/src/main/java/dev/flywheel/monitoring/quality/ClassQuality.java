package dev.flywheel.monitoring.quality;

/**
 * The quality of the predictions for one class, one-vs-rest, with scikit-learn's {@code zero_division=0}: a ratio
 * whose denominator is 0 is 0.
 *
 * @param label the class
 * @param support the rows whose true label is this class ({@code TP + FN})
 * @param predicted the rows predicted as this class ({@code TP + FP})
 * @param truePositives the rows of this class predicted as this class
 * @param precision {@code TP / (TP + FP)}, 0 when the class was never predicted
 * @param recall {@code TP / (TP + FN)}, 0 when the class never was the true label
 * @param f1 {@code 2·TP / (2·TP + FP + FN)}, the harmonic mean of precision and recall, 0 when both are 0
 */
public record ClassQuality(String label, long support, long predicted, long truePositives, double precision,
		double recall, double f1) {

	static ClassQuality of(String label, long support, long predicted, long truePositives) {
		long falsePositives = predicted - truePositives;
		long falseNegatives = support - truePositives;
		return new ClassQuality(label, support, predicted, truePositives, ratio(truePositives, predicted),
				ratio(truePositives, support),
				ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives));
	}

	private static double ratio(long numerator, long denominator) {
		return (denominator != 0) ? (double) numerator / denominator : 0;
	}

}
