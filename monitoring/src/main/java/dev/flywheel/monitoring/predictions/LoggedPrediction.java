package dev.flywheel.monitoring.predictions;

import java.util.Map;

/**
 * One prediction as the inference service logged it.
 *
 * @param variant the router's variant the request was routed to, or null
 * @param latencyMs how long the request took in the inference service, or null
 * @param features the row's features by name (a number, a category or null each)
 * @param label a classifier's predicted label, or null
 * @param probabilities a classifier's class probabilities, or null
 * @param value a regressor's predicted value, or null
 */
public record LoggedPrediction(String predictionId, String model, String version, String variant, long predictedAt,
		Double latencyMs, Map<String, Object> features, String label, Map<String, Double> probabilities,
		Double value) {
}
