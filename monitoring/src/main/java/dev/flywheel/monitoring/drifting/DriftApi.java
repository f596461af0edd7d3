package dev.flywheel.monitoring.drifting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.drift.FeatureDrift;
import dev.flywheel.monitoring.system.Views;

/**
 * {@code GET /api/v1/models/{name}/drift[?version=v]}: the latest judgement of each version's live window, per feature
 * and overall (see monitoring/README.md, "Drift"); 404 when monitoring has no prediction of the model (or version).
 */
@RestController
class DriftApi {

	private final DriftMonitor monitor;

	DriftApi(DriftMonitor monitor) {
		this.monitor = monitor;
	}

	@Tag(name = "Models", description = "Drift, live quality and the report of a model (monitoring/README.md)")
	@Operation(summary = "A model's drift", description = "The latest judgement of each version's live window, per "
			+ "feature and overall (PSI, KS or chi-squared against the version's reference profile)")
	@Parameter(name = "version", description = "only this version")
	@ApiResponse(responseCode = "200", description = "Each version's latest judgement")
	@ApiResponse(responseCode = "404", description = "No judged window of the model (or version)")
	@GetMapping("/api/v1/models/{name}/drift")
	ResponseEntity<Map<String, Object>> drift(@PathVariable String name,
			@RequestParam(required = false) String version) {
		List<Evaluation> evaluations = monitor.latest()
			.values()
			.stream()
			.filter(e -> e.version().model().equals(name) && (version == null || e.version().version().equals(version)))
			.sorted(Comparator.comparing((Evaluation e) -> e.version().version()))
			.toList();
		if (evaluations.isEmpty()) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(Map.of("error", "Monitoring has no judged window of model '" + name + "'"
						+ (version == null ? "" : " version " + version) + ": no prediction of it was logged in the "
						+ "drift window, or it was logged after the last judgement"));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", name);
		List<Map<String, Object>> versions = new ArrayList<>();
		evaluations.forEach(e -> versions.add(view(e)));
		body.put("versions", versions);
		return ResponseEntity.ok(body);
	}

	private static Map<String, Object> view(Evaluation evaluation) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("version", evaluation.version().version());
		Map<String, Object> window = new LinkedHashMap<>();
		window.put("from", Instant.ofEpochMilli(evaluation.from()).toString());
		window.put("to", Instant.ofEpochMilli(evaluation.to()).toString());
		if (evaluation.report() != null) {
			window.put("rows", evaluation.report().predictions().rows() + evaluation.report().predictions().nulls());
		}
		view.put("window", window);
		view.put("evaluated_at", Instant.ofEpochMilli(evaluation.at()).toString());
		view.put("evaluation_ms", evaluation.nanos() / 1e6);
		DriftReport report = evaluation.report();
		if (report == null) {
			view.put("status", "waiting_for_profile");
			view.put("reason", evaluation.waitingFor() == null ? "the reference profile is being read from the registry"
					: evaluation.waitingFor());
			view.put("pending_rows", evaluation.pendingRows());
			return view;
		}
		view.put("status", "judged");
		view.put("alarm", report.alarm());
		view.put("dataset_drift_share", report.driftShare());
		view.put("judged_features", report.judgedFeatures());
		view.put("drifted_features", report.driftedFeatures());
		view.put("features", report.features().stream().map(DriftApi::view).toList());
		view.put("predictions", view(report.predictions()));
		return view;
	}

	private static Map<String, Object> view(FeatureDrift feature) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", feature.name());
		view.put("kind", feature.kind().name().toLowerCase(Locale.ROOT));
		view.put("rows", feature.rows());
		view.put("nulls", feature.nulls());
		view.put("minimum_rows", feature.minimumRows());
		view.put("verdict", feature.verdict().name().toLowerCase(Locale.ROOT));
		Views.putFinite(view, "psi", feature.psi());
		Views.putFinite(view, "normalized_wasserstein", feature.normalizedWasserstein());
		Views.putFinite(view, "ks", feature.kolmogorovSmirnov());
		Views.putFinite(view, "ks_p_value", feature.kolmogorovSmirnovPValue());
		Views.putFinite(view, "js_distance", feature.jensenShannonDistance());
		Views.putFinite(view, "chi_squared", feature.chiSquared());
		Views.putFinite(view, "chi_squared_p_value", feature.chiSquaredPValue());
		return view;
	}


}
