package dev.flywheel.monitoring.feedback;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.flywheel.monitoring.system.Views;

/**
 * One feedback event as the router forwards it: the prediction it judges (id, model, version, A/B test and variant,
 * the label predicted) and what was learnt (a label or a reward), with when the prediction was made and when the
 * feedback reached the router.
 */
public record FeedbackEvent(String predictionId, String model, String modelVersion, String abTestId, String variant,
		String predicted, String label, Double reward, long predictedAt, long receivedAt) {

	/** The event as the APIs show it. */
	public Map<String, Object> view() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("model", model);
		Views.putIfSet(view, "model_version", modelVersion);
		Views.putIfSet(view, "ab_test_id", abTestId);
		Views.putIfSet(view, "variant", variant);
		Views.putIfSet(view, "predicted", predicted);
		Views.putIfSet(view, "label", label);
		Views.putIfSet(view, "reward", reward);
		view.put("predicted_at", Instant.ofEpochMilli(predictedAt).toString());
		view.put("received_at", Instant.ofEpochMilli(receivedAt).toString());
		return view;
	}


}
