package dev.flywheel.monitoring.quality;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.flywheel.monitoring.system.Views;

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
		Views.putFinite(view, "label_coverage", report.coverage().coverage());
		Map<String, Object> delay = new LinkedHashMap<>();
		Views.putFinite(delay, "median_seconds", report.delay().medianSeconds());
		Views.putFinite(delay, "p90_seconds", report.delay().p90Seconds());
		Views.putFinite(delay, "max_seconds", report.delay().maxSeconds());
		view.put("label_delay", delay);
		ClassificationQuality classification = report.classification();
		Views.putFinite(view, "accuracy", classification.accuracy());
		Views.putFinite(view, "macro_f1", classification.macroF1());
		Views.putFinite(view, "log_loss", classification.logLoss());
		Views.putFinite(view, "expected_calibration_error", classification.expectedCalibrationError());
		Views.putFinite(view, "held_out_accuracy", heldOutAccuracy);
		if (verdict != null) {
			view.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
		}
		Map<String, Object> classes = new LinkedHashMap<>();
		classification.classes().forEach((label, metrics) -> {
			Map<String, Object> perClass = new LinkedHashMap<>();
			perClass.put("support", metrics.support());
			Views.putFinite(perClass, "precision", metrics.precision());
			Views.putFinite(perClass, "recall", metrics.recall());
			Views.putFinite(perClass, "f1", metrics.f1());
			classes.put(label, perClass);
		});
		view.put("classes", classes);
		view.put("confusion", classification.confusion());
		return view;
	}


}
