package dev.flywheel.router.feedback;

/**
 * Feedback accepted for a recorded prediction, with what the prediction was: what monitoring gets.
 *
 * @param reward the reward it earned (1 or 0 for a label against the predicted label), or null when it has none
 */
record RecordedFeedback(String predictionId, String model, String modelVersion, String abTestId, String variant,
		String predicted, String label, Double reward, long predictedAt, long receivedAt) {
}
