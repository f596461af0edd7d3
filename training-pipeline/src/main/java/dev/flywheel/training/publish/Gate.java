package dev.flywheel.training.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.training.spec.TrainingSpec.GateSpec;

/**
 * The validation gate (TFX's "blessing"): a candidate passes when it meets the absolute thresholds on its held-out
 * metrics and is not worse than the champion, measured on the same held-out rows, by more than the allowed drop.
 * Metrics whose name ends in "loss" are better when lower; all others when higher.
 */
public final class Gate {

	private Gate() {
	}

	/** The verdict, with one line per rule that failed. */
	public record Verdict(boolean passed, List<String> reasons) {

		public Verdict {
			reasons = List.copyOf(reasons);
		}

		public String tag() {
			return passed ? "passed" : "failed";
		}

	}

	/**
	 * @param champion the champion's metrics on the candidate's held-out rows, or null when there is none
	 */
	public static Verdict judge(GateSpec gate, HeldOutMetrics candidate, HeldOutMetrics champion) {
		List<String> reasons = new ArrayList<>();
		for (Map.Entry<String, Double> rule : gate.min().entrySet()) {
			double value = metric(candidate, rule.getKey(), reasons);
			if (value < rule.getValue()) {
				reasons.add(rule.getKey() + " " + format(value) + " is below the minimum " + format(rule.getValue()));
			}
		}
		for (Map.Entry<String, Double> rule : gate.max().entrySet()) {
			double value = metric(candidate, rule.getKey(), reasons);
			if (value > rule.getValue()) {
				reasons.add(rule.getKey() + " " + format(value) + " is above the maximum " + format(rule.getValue()));
			}
		}
		if (champion != null) {
			for (Map.Entry<String, Double> rule : gate.maxDropVsChampion().entrySet()) {
				String name = rule.getKey();
				double value = metric(candidate, name, reasons);
				double reference = metric(champion, name, reasons);
				double drop = lowerIsBetter(name) ? value - reference : reference - value;
				if (drop > rule.getValue()) {
					reasons.add(name + " " + format(value) + " is worse than the champion's " + format(reference)
							+ " by " + format(drop) + ", more than the allowed " + format(rule.getValue()));
				}
			}
		}
		return new Verdict(reasons.isEmpty(), reasons);
	}

	private static double metric(HeldOutMetrics metrics, String name, List<String> reasons) {
		Double value = metrics.values().get(name);
		if (value == null || value.isNaN()) {
			reasons.add("the gate names the metric '" + name + "', which is not among " + metrics.values().keySet());
			return Double.NaN;
		}
		return value;
	}

	static boolean lowerIsBetter(String metric) {
		return metric.endsWith("loss");
	}

	private static String format(double value) {
		return String.format(java.util.Locale.ROOT, "%.4f", value);
	}

}
