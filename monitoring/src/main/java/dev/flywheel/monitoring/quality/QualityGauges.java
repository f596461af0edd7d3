package dev.flywheel.monitoring.quality;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.reference.VersionKey;

/**
 * The latest live quality of each version as gauges (NaN where there are too few labelled rows to compute it):
 * {@code flywheel_monitoring_quality_accuracy}, {@code _macro_f1}, {@code _log_loss},
 * {@code _expected_calibration_error}, {@code flywheel_monitoring_quality_dropped} (1 when the verdict is
 * {@code dropped}), {@code flywheel_monitoring_label_coverage} and {@code flywheel_monitoring_label_delay_seconds}
 * ({@code quantile} 0.5 and 0.9); labels {@code model} and {@code version}.
 */
@Component
public class QualityGauges {

	private final MeterRegistry meters;

	private final Map<VersionKey, VersionQuality> latest = new ConcurrentHashMap<>();

	QualityGauges(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Publishes a model's versions' quality. */
	public void update(String model, List<VersionQuality> versions) {
		for (VersionQuality quality : versions) {
			VersionKey key = new VersionKey(model, quality.version());
			if (latest.put(key, quality) == null) {
				register(key);
			}
		}
	}

	private void register(VersionKey key) {
		Tags tags = Tags.of("model", key.model(), "version", key.version());
		gauge("flywheel_monitoring_quality_accuracy", tags, "Live accuracy on the labelled predictions",
				key, q -> q.report().classification().accuracy());
		gauge("flywheel_monitoring_quality_macro_f1", tags, "Live macro F1 on the labelled predictions", key,
				q -> q.report().classification().macroF1());
		gauge("flywheel_monitoring_quality_log_loss", tags, "Live log loss on the labelled predictions", key,
				q -> q.report().classification().logLoss());
		gauge("flywheel_monitoring_quality_expected_calibration_error", tags,
				"Live expected calibration error of the top-class confidence", key,
				q -> q.report().classification().expectedCalibrationError());
		gauge("flywheel_monitoring_quality_dropped", tags,
				"1 when live accuracy dropped under the held-out accuracy", key,
				q -> q.verdict() == QualityVerdict.DROPPED ? 1 : 0);
		gauge("flywheel_monitoring_label_coverage", tags, "The share of the window's predictions with a label", key,
				q -> q.report().coverage().coverage());
		gauge("flywheel_monitoring_label_delay_seconds", tags.and("quantile", "0.5"),
				"Time from a prediction to its label", key, q -> q.report().delay().medianSeconds());
		gauge("flywheel_monitoring_label_delay_seconds", tags.and("quantile", "0.9"),
				"Time from a prediction to its label", key, q -> q.report().delay().p90Seconds());
	}

	private void gauge(String name, Tags tags, String description, VersionKey key,
			ToDoubleFunction<VersionQuality> value) {
		Gauge.builder(name, latest, map -> {
			VersionQuality quality = map.get(key);
			return quality == null ? Double.NaN : value.applyAsDouble(quality);
		}).tags(tags).description(description).register(meters);
	}

}
