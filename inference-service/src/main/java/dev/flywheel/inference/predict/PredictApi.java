package dev.flywheel.inference.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.inference.api.ApiErrors;
import dev.flywheel.inference.api.RequestBodies;
import dev.flywheel.inference.api.JsonRows;
import dev.flywheel.inference.api.RequestJson;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.serving.Predictor;
import dev.flywheel.inference.serving.ServedModels;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * The plain predict API, shaped like KServe's V1 protocol: {@code POST /v1/models/{name}:predict} with
 * {@code {"instances": [{"feature": value, ...}, ...]}} (or lists of values in signature order), answered with each
 * row's label and class probabilities, the version that computed them and the prediction ids; {@code ?version=} picks
 * a version number or alias. {@code GET /v1/models} and {@code GET /v1/models/{name}} report what is served.
 */
@RestController
class PredictApi {

	private static final Logger logger = LoggerFactory.getLogger(PredictApi.class);

	private final ServedModels models;

	private final Predictor predictor;

	private final long maxBytes;

	PredictApi(ServedModels models, Predictor predictor, InferenceProperties properties) {
		this.models = models;
		this.predictor = predictor;
		this.maxBytes = properties.inference().limits().maxRequestSize().toBytes();
	}

	record Row(String label, Map<String, Float> probabilities, List<Float> values) {
	}

	record Predictions(List<Row> predictions, String modelVersion, List<String> predictionIds) {
	}

	record Error(String error) {
	}

	@Tag(name = "Plain predict", description = "The KServe V1 shape (inference-service/README.md)")
	@Operation(summary = "The models served")
	@GetMapping("/v1/models")
	Map<String, List<String>> list() {
		return Map.of("models", models.names());
	}

	@Tag(name = "Plain predict")
	@Operation(summary = "Whether a model is ready")
	@ApiResponse(responseCode = "200", description = "{name, ready}")
	@ApiResponse(responseCode = "404", description = "The model is not served here")
	@GetMapping("/v1/models/{name}")
	Map<String, Object> status(@PathVariable String name) {
		return Map.of("name", name, "ready", models.get(name).isReady());
	}

	@Tag(name = "Plain predict")
	@Operation(summary = "Predict", description = "`instances`: records {feature: value} or lists of values in "
			+ "signature order; answered with each row's label and class probabilities (or value), the version that "
			+ "computed them and the prediction ids")
	@Parameter(name = "version", description = "a version number or alias (the champion without one)")
	@Parameter(name = "X-Flywheel-Variant", description = "the A/B variant, recorded in the prediction log")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = "application/json",
			schema = @Schema(type = "object"), examples = @ExampleObject(value = """
					{"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
					               [6.7, 3.0, 5.2, 2.3]]}""")))
	@ApiResponse(responseCode = "200", description = "The predictions")
	@ApiResponse(responseCode = "400", description = "The request does not fit the model (the message names the input, "
			+ "feature, row or limit)")
	@ApiResponse(responseCode = "404", description = "The model or version is not served here")
	@ApiResponse(responseCode = "413", description = "The body is over flywheel.inference.limits.max-request-size")
	@ApiResponse(responseCode = "503", description = "The version is not loaded yet or its queue is full (Retry-After)")
	@ApiResponse(responseCode = "500", description = "The model failed on valid input")
	@PostMapping("/v1/models/{name}:predict")
	Mono<Predictions> predict(@PathVariable String name, @RequestParam(name = "version", required = false) String version,
			@RequestHeader(name = "X-Flywheel-Variant", required = false) String variant,
			ServerHttpRequest http) {
		return RequestBodies.read(http, maxBytes).flatMap(body -> {
			predictor.requireServed(name);
			JsonNode instances;
			try {
				JsonNode json = RequestJson.object(RequestJson.parse(body), "The predict request");
				for (String field : json.propertyNames()) {
					if (!field.equals("instances")) {
						throw InferenceException.badInput("Unknown field '" + field
								+ "'; the request is {\"instances\": [{feature: value, ...}, ...]}");
					}
				}
				instances = RequestJson.array(json.get("instances"), "The request's 'instances'");
			}
			catch (InferenceException ex) {
				predictor.rejected(name, ex);
				throw ex;
			}
			return predictor.predict(name, version, schema -> JsonRows.of(schema, instances, "'instances'"), variant)
				.map(PredictApi::predictions);
		});
	}

	private static Predictions predictions(Prediction prediction) {
		List<Row> rows = new ArrayList<>(prediction.count());
		for (int row = 0; row < prediction.count(); row++) {
			if (prediction.isClassification()) {
				Map<String, Float> probabilities = new LinkedHashMap<>();
				for (int c = 0; c < prediction.width(); c++) {
					probabilities.put(prediction.classes().get(c), prediction.output(row, c));
				}
				rows.add(new Row(prediction.label(row), probabilities, null));
			}
			else {
				List<Float> values = new ArrayList<>();
				for (int c = 0; c < prediction.width(); c++) {
					values.add(prediction.output(row, c));
				}
				rows.add(new Row(null, null, values));
			}
		}
		return new Predictions(rows, prediction.version(), prediction.predictionIds());
	}

	@ExceptionHandler(Throwable.class)
	ResponseEntity<Error> error(Throwable failure) {
		InferenceException error = ApiErrors.classify(failure, maxBytes);
		if (error.status().is5xxServerError() && error.status().value() != 503) {
			logger.error("Predict request failed", failure);
		}
		return ApiErrors.response(error, new Error(error.getMessage()));
	}

}
