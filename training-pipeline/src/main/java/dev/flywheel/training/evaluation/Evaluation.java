package dev.flywheel.training.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.HeldOutMetrics.ClassMetrics;

/**
 * Held-out metrics of a classifier from its class probabilities: accuracy, macro F1, log loss, ROC AUC for two
 * classes, per-class precision, recall, F1 and support, and the confusion matrix.
 */
public final class Evaluation {

	private static final double EPSILON = 1e-15;

	private Evaluation() {
	}

	public static HeldOutMetrics of(double[][] probabilities, int[] labels, List<String> classes) {
		int k = classes.size();
		long[][] confusion = new long[k][k];
		double logLoss = 0;
		for (int i = 0; i < labels.length; i++) {
			confusion[labels[i]][argmax(probabilities[i])]++;
			logLoss -= Math.log(Math.max(EPSILON, Math.min(1 - EPSILON, probabilities[i][labels[i]])));
		}
		int n = labels.length;
		long correct = 0;
		Map<String, ClassMetrics> perClass = new LinkedHashMap<>();
		double f1Sum = 0;
		for (int c = 0; c < k; c++) {
			correct += confusion[c][c];
			long support = 0;
			long predicted = 0;
			for (int j = 0; j < k; j++) {
				support += confusion[c][j];
				predicted += confusion[j][c];
			}
			double precision = predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
			double recall = support == 0 ? 0 : (double) confusion[c][c] / support;
			double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
			f1Sum += f1;
			perClass.put(classes.get(c), new ClassMetrics(support, precision, recall, f1));
		}
		Map<String, Double> values = new LinkedHashMap<>();
		values.put("accuracy", n == 0 ? 0 : (double) correct / n);
		values.put("macro_f1", f1Sum / k);
		values.put("log_loss", n == 0 ? 0 : logLoss / n);
		if (k == 2) {
			values.put("roc_auc", rocAuc(probabilities, labels));
		}
		List<List<Long>> matrix = new ArrayList<>();
		for (long[] row : confusion) {
			matrix.add(java.util.Arrays.stream(row).boxed().toList());
		}
		return new HeldOutMetrics(n, values, perClass, matrix);
	}

	public static int argmax(double[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++) {
			if (values[i] > values[best]) {
				best = i;
			}
		}
		return best;
	}

	/** The probability that a random positive scores above a random negative (Mann-Whitney U), ties counting half. */
	static double rocAuc(double[][] probabilities, int[] labels) {
		long positives = 0;
		long negatives = 0;
		double wins = 0;
		for (int i = 0; i < labels.length; i++) {
			if (labels[i] != 1) {
				continue;
			}
			positives++;
			for (int j = 0; j < labels.length; j++) {
				if (labels[j] == 0) {
					double a = probabilities[i][1];
					double b = probabilities[j][1];
					wins += a > b ? 1 : a == b ? 0.5 : 0;
				}
			}
		}
		for (int label : labels) {
			negatives += label == 0 ? 1 : 0;
		}
		return positives == 0 || negatives == 0 ? Double.NaN : wins / (positives * negatives);
	}

}
