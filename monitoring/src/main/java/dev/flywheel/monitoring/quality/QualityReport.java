package dev.flywheel.monitoring.quality;

import java.util.Collection;

/**
 * The live quality of a window: how many of its predictions are labelled, how late their labels came, and the
 * quality of the labelled ones, a classifier's or a regressor's.
 * <p>
 * <b>Empty inputs.</b> Nothing throws on an empty window. Without labelled rows the coverage is 0 (or {@code NaN}
 * without predictions either), and every delay and quality metric is {@code NaN} with its row counts 0
 * ({@link ClassificationQuality} and {@link LabelDelay} give the rules).
 *
 * @param coverage the share of the window's predictions that are labelled
 * @param delay how late the labels came
 * @param classification the classifier's quality, {@code null} for a regressor
 * @param regression the regressor's quality, {@code null} for a classifier
 */
public record QualityReport(LabelCoverage coverage, LabelDelay delay, ClassificationQuality classification,
		RegressionQuality regression) {

	public QualityReport {
		if ((classification == null) == (regression == null)) {
			throw new IllegalArgumentException("A quality report is of a classifier or of a regressor");
		}
	}

	/**
	 * The report of a classifier's window of {@code predictions} predictions, of which {@code labelled} are labelled.
	 *
	 * @throws IllegalArgumentException if there are more labelled rows than predictions
	 */
	public static QualityReport ofClassifier(long predictions, Collection<LabelledPrediction> labelled) {
		LabelDelays delays = new LabelDelays();
		labelled.forEach((row) -> delays.add(row.predictedAt(), row.receivedAt()));
		return ofClassifier(predictions, new ClassificationCounts().addAll(labelled), delays);
	}

	/**
	 * The report of a classifier's window of {@code predictions} predictions from its merged counts and delays.
	 *
	 * @throws IllegalArgumentException if there are more labelled rows than predictions, or the counts and the
	 * delays are of a different number of rows
	 */
	public static QualityReport ofClassifier(long predictions, ClassificationCounts counts, LabelDelays delays) {
		requireSameRows(counts.rows(), delays.rows());
		return new QualityReport(LabelCoverage.of(predictions, counts.rows()), delays.delay(), counts.quality(), null);
	}

	/**
	 * The report of a regressor's window of {@code predictions} predictions, of which {@code labelled} are labelled.
	 *
	 * @throws IllegalArgumentException if there are more labelled rows than predictions
	 */
	public static QualityReport ofRegressor(long predictions, Collection<LabelledValue> labelled) {
		LabelDelays delays = new LabelDelays();
		labelled.forEach((row) -> delays.add(row.predictedAt(), row.receivedAt()));
		return ofRegressor(predictions, new RegressionCounts().addAll(labelled), delays);
	}

	/**
	 * The report of a regressor's window of {@code predictions} predictions from its merged sums and delays.
	 *
	 * @throws IllegalArgumentException if there are more labelled rows than predictions, or the sums and the delays
	 * are of a different number of rows
	 */
	public static QualityReport ofRegressor(long predictions, RegressionCounts counts, LabelDelays delays) {
		requireSameRows(counts.rows(), delays.rows());
		return new QualityReport(LabelCoverage.of(predictions, counts.rows()), delays.delay(), null,
				counts.quality());
	}

	/** The labelled rows the quality was computed on. */
	public long rows() {
		return (this.classification != null) ? this.classification.rows() : this.regression.rows();
	}

	private static void requireSameRows(long counted, long delays) {
		if (counted != delays) {
			throw new IllegalArgumentException(
					"The quality counts " + counted + " rows and the label delays " + delays);
		}
	}

}
