package dev.flywheel.monitoring.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/** A version's live quality as the API shows it (a measure that is NaN, for want of rows, is left out). */
final class QualityView {

	private QualityView() {
	}

	/**
	 * @param heldOutAccuracy the version's held-out accuracy, NaN when unknown
	 * @param verdict the judgement against it, or null when there is nothing to judge against
	 */
	static Map<String, Object> of(String version, QualityReport report, double heldOutAccuracy,
			QualityVerdict verdict) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("version", version);
		view.put("predictions", report.coverage().predictions());
		view.put("labelled", report.coverage().labelled());
		putFinite(view, "label_coverage", report.coverage().coverage());
		Map<String, Object> delay = new LinkedHashMap<>();
		putFinite(delay, "median_seconds", report.delay().medianSeconds());
		putFinite(delay, "p90_seconds", report.delay().p90Seconds());
		putFinite(delay, "max_seconds", report.delay().maxSeconds());
		view.put("label_delay", delay);
		ClassificationQuality quality = report.classification();
		putFinite(view, "accuracy", quality.accuracy());
		putFinite(view, "macro_f1", quality.macroF1());
		putFinite(view, "log_loss", quality.logLoss());
		putFinite(view, "expected_calibration_error", quality.expectedCalibrationError());
		putFinite(view, "held_out_accuracy", heldOutAccuracy);
		if (verdict != null) {
			view.put("verdict", verdict);
		}
		Map<String, Object> classes = new LinkedHashMap<>();
		quality.classes().forEach((label, metrics) -> {
			Map<String, Object> perClass = new LinkedHashMap<>();
			perClass.put("support", metrics.support());
			putFinite(perClass, "precision", metrics.precision());
			putFinite(perClass, "recall", metrics.recall());
			putFinite(perClass, "f1", metrics.f1());
			classes.put(label, perClass);
		});
		view.put("classes", classes);
		view.put("confusion", quality.confusion());
		return view;
	}

	private static void putFinite(Map<String, Object> view, String name, double value) {
		if (Double.isFinite(value)) {
			view.put(name, value);
		}
	}

}
