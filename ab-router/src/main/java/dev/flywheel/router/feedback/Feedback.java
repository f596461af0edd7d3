package dev.flywheel.router.feedback;

import java.util.Objects;

/**
 * One feedback event as sent: a prediction id and either the true label or a numeric reward.
 *
 * @param predictionId the prediction it is about
 * @param label the true label (a classifier's class), or null
 * @param reward a numeric reward, or null
 */
record Feedback(String predictionId, String label, Double reward) {

	Feedback {
		Objects.requireNonNull(predictionId, "predictionId");
		if ((label == null) == (reward == null)) {
			throw new IllegalArgumentException("Feedback has a label or a reward: " + label + ", " + reward);
		}
	}

	/** Whether {@code other} says the same thing about the same prediction. */
	boolean sameAs(String otherLabel, Double otherReward) {
		return Objects.equals(label, otherLabel) && (label != null || Objects.equals(reward, otherReward));
	}

}
