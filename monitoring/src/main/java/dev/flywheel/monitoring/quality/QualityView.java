package dev.flywheel.monitoring.quality;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A version's live quality as the API shows it (a measure that is NaN, for want of rows, is left out). */
final class QualityView {

	private QualityView() {
	}

	static Map<String, Object> of(VersionQuality quality) {
		return of(quality.version(), quality.report(), quality.heldOutAccuracy(), quality.verdict());
	}

	private static Map<String, Object> of(String version, QualityReport report, double heldOutAccuracy,
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
		ClassificationQuality classification = report.classification();
		putFinite(view, "accuracy", classification.accuracy());
		putFinite(view, "macro_f1", classification.macroF1());
		putFinite(view, "log_loss", classification.logLoss());
		putFinite(view, "expected_calibration_error", classification.expectedCalibrationError());
		putFinite(view, "held_out_accuracy", heldOutAccuracy);
		if (verdict != null) {
			view.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
		}
		Map<String, Object> classes = new LinkedHashMap<>();
		classification.classes().forEach((label, metrics) -> {
			Map<String, Object> perClass = new LinkedHashMap<>();
			perClass.put("support", metrics.support());
			putFinite(perClass, "precision", metrics.precision());
			putFinite(perClass, "recall", metrics.recall());
			putFinite(perClass, "f1", metrics.f1());
			classes.put(label, perClass);
		});
		view.put("classes", classes);
		view.put("confusion", classification.confusion());
		return view;
	}

	private static void putFinite(Map<String, Object> view, String name, double value) {
		if (Double.isFinite(value)) {
			view.put(name, value);
		}
	}

}
