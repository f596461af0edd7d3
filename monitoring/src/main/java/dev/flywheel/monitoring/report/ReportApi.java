package dev.flywheel.monitoring.report;

import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/models/{name}/report}: the model's report as one self-contained HTML page ({@link ReportPage}):
 * drift per feature with the reference and live histograms, live quality per day, the router's A/B tests and the
 * retraining history; 404 when monitoring knows nothing of the model.
 */
@RestController
class ReportApi {

	private final ReportBuilder builder;

	ReportApi(ReportBuilder builder) {
		this.builder = builder;
	}

	@Tag(name = "Models")
	@Operation(summary = "A model's report (HTML)", description = "One self-contained HTML page: drift per feature "
			+ "with the reference and live histograms, live quality per day, the router's A/B tests and the "
			+ "retraining history")
	@ApiResponse(responseCode = "200", description = "The report",
			content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "404", description = "Monitoring knows nothing of the model")
	@GetMapping("/api/v1/models/{name}/report")
	Mono<ResponseEntity<String>> report(@PathVariable String name) {
		return builder.build(name).map(report -> {
			boolean known = !report.drift().isEmpty() || !report.jobs().isEmpty()
					|| report.quality().stream().anyMatch(day -> !day.versions().isEmpty())
					|| (report.abTests() != null && !report.abTests().isEmpty());
			if (!known) {
				return ResponseEntity.status(HttpStatus.NOT_FOUND)
					.contentType(MediaType.TEXT_PLAIN)
					.body("Monitoring knows nothing of model '" + name + "': no prediction in the last "
							+ ReportBuilder.DAYS + " days, no retraining, no A/B test\n");
			}
			return ResponseEntity.ok()
				.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.body(ReportPage.render(report));
		});
	}

}
