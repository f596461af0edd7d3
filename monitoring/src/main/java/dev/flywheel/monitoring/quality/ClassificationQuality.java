package dev.flywheel.monitoring.quality;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality of a classifier's labelled predictions ({@link ClassificationCounts} gives the definitions).
 * <p>
 * <b>Empty inputs.</b> Without rows every metric is {@code NaN}, every count 0 and the maps empty. Log loss is
 * {@code NaN} when no row has the probability of its true label ({@code logLossRows = 0}), and the expected
 * calibration error when no row has probabilities ({@code calibrationRows = 0}), whatever the number of rows.
 *
 * @param rows the labelled predictions (n)
 * @param accuracy the share of rows whose served label is the true label
 * @param macroF1 the unweighted mean of the classes' F1
 * @param logLoss the mean of {@code -ln p(true label)} over the {@code logLossRows}
 * @param logLossRows the rows with probabilities that include the true label
 * @param rowsWithoutProbabilities the rows without probabilities, left out of log loss and calibration
 * @param rowsWithUnknownTrueLabel the rows with probabilities whose true label is not one of their classes, left out
 * of log loss (and kept in calibration, as a miss)
 * @param expectedCalibrationError the ECE of the top-class confidence over 10 equal-width bins
 * @param calibrationRows the rows with probabilities
 * @param classes each class seen among the true or served labels, in class order
 * @param confusion the rows by true label, then by served label, both over every class of {@code classes} (zeros
 * included), in class order
 */
public record ClassificationQuality(long rows, double accuracy, double macroF1, double logLoss, long logLossRows,
		long rowsWithoutProbabilities, long rowsWithUnknownTrueLabel, double expectedCalibrationError,
		long calibrationRows, Map<String, ClassQuality> classes, Map<String, Map<String, Long>> confusion) {

	/** The support (rows whose true label it is) of each class, in class order. */
	public Map<String, Long> support() {
		Map<String, Long> support = new LinkedHashMap<>();
		this.classes.forEach((label, quality) -> support.put(label, quality.support()));
		return Collections.unmodifiableMap(support);
	}

	/**
	 * The quality of one class.
	 *
	 * @throws IllegalArgumentException if the class was neither a true nor a served label
	 */
	public ClassQuality of(String label) {
		ClassQuality quality = this.classes.get(label);
		if (quality == null) {
			throw new IllegalArgumentException("No labelled prediction has the class " + label);
		}
		return quality;
	}

}
