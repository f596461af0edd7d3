package dev.flywheel.inference.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.inference.api.ApiErrors;
import dev.flywheel.inference.api.RequestBodies;
import dev.flywheel.inference.api.JsonRows;
import dev.flywheel.inference.api.RequestJson;
import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.serving.Predictor;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.serving.ServedModels;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * MLflow's scoring protocol, as {@code mlflow models serve} speaks it: {@code POST /invocations} with a JSON body in
 * one of its four forms ({@code dataframe_split}, {@code dataframe_records}, {@code instances}, {@code inputs}) or a
 * CSV body, {@code GET /ping} (a health probe: whether the model named, or every model served, is ready) and
 * {@code GET /version}. The model is {@code ?model=NAME}, or the only one served;
 * {@code ?version=} picks a version number or alias (the champion by default). Errors are MLflow's
 * {@code {"error_code", "message"}}.
 * <p>
 * {@code predictions} holds each row's most probable class, as an MLflow classifier answers; {@code probabilities}
 * (one list per row, in the order of {@code classes}), {@code model_version} and {@code prediction_ids} come beside it.
 */
@RestController
class ScoringApi {

	private static final Logger logger = LoggerFactory.getLogger(ScoringApi.class);

	private static final Set<String> FORMS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");

	private final ServedModels models;

	private final Predictor predictor;

	private final long maxBytes;

	ScoringApi(ServedModels models, Predictor predictor, InferenceProperties properties) {
		this.models = models;
		this.predictor = predictor;
		this.maxBytes = properties.inference().limits().maxRequestSize().toBytes();
	}

	record Scores(List<Object> predictions, List<List<Float>> probabilities, List<String> classes,
			String modelVersion, List<String> predictionIds) {
	}

	record Error(String errorCode, String message) {
	}

	/** 200 when the model {@code ?model=} names is ready, or without it when every served model is; 503 if not. */
	@Tag(name = "MLflow scoring", description = "As `mlflow models serve` speaks it (inference-service/README.md)")
	@Operation(summary = "Health probe: whether the model named, or every model served, is ready")
	@Parameter(name = "model", description = "the model (every model served without one)")
	@ApiResponse(responseCode = "200", description = "Ready (an empty line)",
			content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "503", description = "Not ready (an empty line)",
			content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
	@GetMapping("/ping")
	ResponseEntity<String> ping(@RequestParam(name = "model", required = false) String model) {
		boolean ready = model == null || model.isBlank() ? models.isReady() : models.get(model).isReady();
		return ready ? ResponseEntity.ok("\n") : ResponseEntity.status(503).body("\n");
	}

	@Tag(name = "MLflow scoring")
	@Operation(summary = "The MLflow version this scoring protocol follows")
	@GetMapping(path = "/version", produces = MediaType.TEXT_PLAIN_VALUE)
	String version() {
		return "flywheel-inference 0.1.0";
	}

	@Tag(name = "MLflow scoring")
	@Operation(summary = "Score rows", description = "A JSON body in one of MLflow's four forms (dataframe_split, "
			+ "dataframe_records, instances, inputs) or a CSV body; the content type chooses. `predictions` holds each "
			+ "row's most probable class; `probabilities` (columns in the order of the classes), `model_version` and "
			+ "`prediction_ids` come beside it.")
	@Parameter(name = "model", description = "the model; may be left out when one model is served")
	@Parameter(name = "version", description = "a version number or alias (the champion without one)")
	@Parameter(name = "X-Flywheel-Variant", description = "the A/B variant, recorded in the prediction log")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
			@Content(mediaType = "application/json", schema = @Schema(type = "object"), examples = @ExampleObject(
					value = """
							{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
							                     "data": [[5.1, 3.5, 1.4, 0.2]]}}""")),
			@Content(mediaType = "text/csv", schema = @Schema(type = "string"), examples = @ExampleObject(
					value = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n")) })
	@ApiResponse(responseCode = "200", description = "The scores")
	@ApiResponse(responseCode = "415", description = "The body is neither JSON nor CSV")
	@ApiResponse(responseCode = "400", description = "The request does not fit the model (the message names the input, "
			+ "feature, row or limit)")
	@ApiResponse(responseCode = "404", description = "The model or version is not served here")
	@ApiResponse(responseCode = "413", description = "The body is over flywheel.inference.limits.max-request-size")
	@ApiResponse(responseCode = "503", description = "The version is not loaded yet or its queue is full (Retry-After)")
	@ApiResponse(responseCode = "500", description = "The model failed on valid input")
	@PostMapping("/invocations")
	Mono<Scores> invocations(@RequestParam(name = "model", required = false) String model,
			@RequestParam(name = "version", required = false) String version,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
			@RequestHeader(name = "X-Flywheel-Variant", required = false) String variant,
			ServerHttpRequest http) {
		return RequestBodies.read(http, maxBytes).flatMap(body -> {
			String name = model(model);
			predictor.requireServed(name);
			java.util.function.Function<FeatureSchema, Rows> parser;
			try {
				parser = parser(contentType, body);
			}
			catch (InferenceException ex) {
				predictor.rejected(name, ex);
				throw ex;
			}
			return predictor.predict(name, version, parser, variant).map(ScoringApi::scores);
		});
	}

	private String model(String requested) {
		if (requested != null && !requested.isBlank()) {
			return requested;
		}
		List<String> names = models.names();
		if (names.size() != 1) {
			throw InferenceException.badInput(names.isEmpty() ? "No model is served here"
					: "Several models are served here " + names + "; name one with ?model=NAME");
		}
		return names.get(0);
	}

	private static java.util.function.Function<FeatureSchema, Rows> parser(String contentType, byte[] body) {
		MediaType type = contentType == null ? MediaType.APPLICATION_JSON : mediaType(contentType);
		if (type.isCompatibleWith(MediaType.parseMediaType("text/csv"))) {
			return schema -> CsvRows.of(schema, body == null ? new byte[0] : body);
		}
		if (!type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
			throw InferenceException.unsupportedMediaType("Content type '" + contentType
					+ "' is not supported; send application/json or text/csv");
		}
		JsonNode json = RequestJson.object(RequestJson.parse(body), "The scoring request");
		List<String> forms = new ArrayList<>();
		for (String field : json.propertyNames()) {
			if (FORMS.contains(field)) {
				forms.add(field);
			}
			else if (!field.equals("params")) {
				throw InferenceException.badInput("Unknown field '" + field + "'; the request must hold one of "
						+ "dataframe_split, dataframe_records, instances or inputs (and optionally params)");
			}
		}
		if (forms.size() != 1) {
			throw InferenceException.badInput((forms.isEmpty() ? "The request holds none" : "The request holds " + forms)
					+ "; it must hold exactly one of dataframe_split, dataframe_records, instances or inputs");
		}
		String form = forms.get(0);
		JsonNode value = json.get(form);
		return switch (form) {
			case "dataframe_split" -> schema -> split(schema, value);
			case "dataframe_records" -> schema -> JsonRows.records(schema, value, "'dataframe_records'");
			default -> schema -> JsonRows.of(schema, value, "'" + form + "'");
		};
	}

	private static Rows split(FeatureSchema schema, JsonNode split) {
		RequestJson.object(split, "'dataframe_split'");
		JsonNode columns = RequestJson.array(split.get("columns"), "'dataframe_split.columns'");
		List<String> names = new ArrayList<>();
		for (JsonNode column : columns) {
			if (!column.isString()) {
				throw InferenceException.badInput("'dataframe_split.columns' must hold column names, not " + column);
			}
			names.add(column.asString());
		}
		return JsonRows.table(schema, names, split.get("data"), "'dataframe_split'");
	}

	private static MediaType mediaType(String contentType) {
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			throw InferenceException.unsupportedMediaType("Content type '" + contentType + "' cannot be parsed");
		}
	}

	private static Scores scores(Prediction prediction) {
		List<Object> predictions = new ArrayList<>(prediction.count());
		List<List<Float>> probabilities = prediction.isClassification() ? new ArrayList<>() : null;
		for (int row = 0; row < prediction.count(); row++) {
			List<Float> outputs = new ArrayList<>(prediction.width());
			for (int column = 0; column < prediction.width(); column++) {
				outputs.add(prediction.output(row, column));
			}
			if (prediction.isClassification()) {
				predictions.add(prediction.label(row));
				probabilities.add(outputs);
			}
			else {
				predictions.add(outputs.size() == 1 ? outputs.get(0) : outputs);
			}
		}
		return new Scores(predictions, probabilities, prediction.classes(), prediction.version(),
				prediction.predictionIds());
	}

	@ExceptionHandler(Throwable.class)
	ResponseEntity<Error> error(Throwable failure) {
		InferenceException error = ApiErrors.classify(failure, maxBytes);
		if (error.status().is5xxServerError() && error.status().value() != 503) {
			logger.error("Scoring request failed", failure);
		}
		String code = switch (error.status()) {
			case NOT_FOUND -> "RESOURCE_DOES_NOT_EXIST";
			case SERVICE_UNAVAILABLE -> "TEMPORARILY_UNAVAILABLE";
			case INTERNAL_SERVER_ERROR -> "INTERNAL_ERROR";
			default -> "BAD_REQUEST";
		};
		return ApiErrors.response(error, new Error(code, error.getMessage()));
	}

}
