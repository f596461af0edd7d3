package dev.flywheel.monitoring.quality;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/**
 * {@code GET /api/v1/models/{name}/quality[?version=v][&window=P7D]}: live quality of each version over the
 * predictions made in the window (default {@code P7D}), from the ones whose label has come (matured feedback):
 * label coverage and delay, accuracy, macro F1, log loss, calibration error, per class and the confusion matrix, and
 * the verdict against the version's held-out accuracy. 400 for a window that is not a positive ISO-8601 duration,
 * 404 when the model has no prediction in the window.
 */
@RestController
class QualityApi {

	private final QualityJudge judge;

	private final Clock clock;

	QualityApi(QualityJudge judge, Clock clock) {
		this.judge = judge;
		this.clock = clock;
	}

	@Tag(name = "Models")
	@Operation(summary = "A model's live quality", description = "Per version, over the predictions made in the "
			+ "window, from the labelled ones: label coverage and delay, accuracy, macro F1, log loss, calibration "
			+ "error, per class and the confusion matrix, and the verdict against the held-out accuracy")
	@Parameter(name = "version", description = "only this version")
	@Parameter(name = "window", description = "an ISO-8601 duration, default P7D")
	@ApiResponse(responseCode = "200", description = "Each version's quality")
	@ApiResponse(responseCode = "400", description = "The window is not a positive ISO-8601 duration")
	@ApiResponse(responseCode = "404", description = "No prediction of the model in the window")
	@GetMapping("/api/v1/models/{name}/quality")
	Mono<ResponseEntity<Map<String, Object>>> quality(@PathVariable String name,
			@RequestParam(required = false) String version, @RequestParam(defaultValue = "P7D") String window) {
		Duration length;
		try {
			length = Duration.parse(window);
		}
		catch (DateTimeParseException ex) {
			length = null;
		}
		if (length == null || length.isNegative() || length.isZero()) {
			return Mono.just(ResponseEntity.badRequest()
				.body(Map.of("error", "window must be a positive ISO-8601 duration such as P7D or PT6H, not '"
						+ window + "'")));
		}
		long to = clock.millis() + 1;
		long from = to - length.toMillis();
		return judge.judge(name, from, to).map(versions -> {
			List<Map<String, Object>> views = versions.stream()
				.filter(quality -> version == null || quality.version().equals(version))
				.map(QualityView::of)
				.toList();
			if (views.isEmpty()) {
				return ResponseEntity.status(HttpStatus.NOT_FOUND)
					.body(Map.<String, Object>of("error", "Model '" + name + "'"
							+ (version == null ? "" : " version " + version) + " has no prediction in the last "
							+ window));
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("model", name);
			body.put("window", Map.of("from", Instant.ofEpochMilli(from).toString(), "to",
					Instant.ofEpochMilli(to).toString()));
			body.put("versions", views);
			return ResponseEntity.ok(body);
		});
	}

}
