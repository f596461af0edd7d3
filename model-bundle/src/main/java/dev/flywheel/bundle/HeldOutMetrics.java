package dev.flywheel.bundle;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The model's quality on the held-out test split ({@code metrics.json}): named scalar metrics (accuracy, macro_f1,
 * log_loss, roc_auc for binary problems, ...), per-class precision, recall and support, and the confusion matrix
 * (rows: true class, columns: predicted class, in the signature's class order).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeldOutMetrics(long rows, Map<String, Double> values, Map<String, ClassMetrics> perClass,
		List<List<Long>> confusionMatrix) {

	public HeldOutMetrics {
		values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
		perClass = perClass == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(perClass));
		confusionMatrix = confusionMatrix == null ? null : confusionMatrix.stream().map(List::copyOf).toList();
	}

	/** A metric by name, such as {@code accuracy}. */
	public double value(String name) {
		Double value = values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("No metric '" + name + "'; the bundle has " + values.keySet());
		}
		return value;
	}

	public record ClassMetrics(long support, double precision, double recall, double f1) {
	}

}
