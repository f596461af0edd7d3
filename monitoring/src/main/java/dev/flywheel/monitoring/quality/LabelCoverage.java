package dev.flywheel.monitoring.quality;

/**
 * The share of a window's predictions whose feedback has arrived.
 *
 * @param predictions the predictions made in the window
 * @param labelled those of them with feedback
 * @param coverage {@code labelled / predictions}, in [0, 1]; {@code NaN} for a window without predictions
 */
public record LabelCoverage(long predictions, long labelled, double coverage) {

	/**
	 * The coverage of {@code labelled} out of {@code predictions}.
	 *
	 * @throws IllegalArgumentException if a count is negative or more predictions are labelled than were made
	 */
	public static LabelCoverage of(long predictions, long labelled) {
		if (predictions < 0 || labelled < 0 || labelled > predictions) {
			throw new IllegalArgumentException(
					"Cannot have " + labelled + " labelled out of " + predictions + " predictions");
		}
		return new LabelCoverage(predictions, labelled,
				(predictions > 0) ? (double) labelled / predictions : Double.NaN);
	}

}
