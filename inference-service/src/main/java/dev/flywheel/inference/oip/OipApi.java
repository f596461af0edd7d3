package dev.flywheel.inference.oip;

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

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.bundle.Signature;
import dev.flywheel.inference.api.ApiErrors;
import dev.flywheel.inference.api.RequestBodies;
import dev.flywheel.inference.api.RequestJson;
import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.LoadedVersion;
import dev.flywheel.inference.serving.Prediction;
import dev.flywheel.inference.serving.PredictionIds;
import dev.flywheel.inference.serving.Predictor;
import dev.flywheel.inference.serving.ServedModel;
import dev.flywheel.inference.serving.ServedModels;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * The Open Inference Protocol v2 over REST (KServe, Triton): health, server and model metadata, and inference by model
 * name, version number or alias ({@code champion} without one). Errors are {@code {"error": "..."}}: 400 for a request
 * that does not fit the model, 404 for an unknown model or version, 413 for a body over the limit, 503 with
 * {@code Retry-After} when not ready or overloaded.
 */
@RestController
class OipApi {

	private static final Logger logger = LoggerFactory.getLogger(OipApi.class);

	static final String SERVER_NAME = "flywheel-inference";

	static final String SERVER_VERSION = "0.1.0";

	static final String PLATFORM = "dl4j_zip";

	static final String VARIANT_HEADER = "X-Flywheel-Variant";

	private final ServedModels models;

	private final Predictor predictor;

	private final long maxBytes;

	OipApi(ServedModels models, Predictor predictor, InferenceProperties properties) {
		this.models = models;
		this.predictor = predictor;
		this.maxBytes = properties.inference().limits().maxRequestSize().toBytes();
	}

	record ServerMetadata(String name, String version, List<String> extensions) {
	}

	record TensorMetadata(String name, String datatype, List<Integer> shape) {
	}

	record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
			List<TensorMetadata> outputs, List<String> classes, Map<String, Object> parameters) {
	}

	record Output(String name, List<Integer> shape, String datatype, Object data) {
	}

	record InferenceResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters,
			List<Output> outputs) {
	}

	record Error(String error) {
	}

	@Tag(name = "Open Inference Protocol", description = "KServe / Triton v2 REST (inference-service/README.md)")
	@Operation(summary = "Server metadata")
	@GetMapping("/v2")
	ServerMetadata server() {
		return new ServerMetadata(SERVER_NAME, SERVER_VERSION, List.of());
	}

	@Tag(name = "Open Inference Protocol")
	@Operation(summary = "Liveness: the process answers")
	@GetMapping("/v2/health/live")
	Map<String, Boolean> live() {
		return Map.of("live", true);
	}

	@Tag(name = "Open Inference Protocol")
	@Operation(summary = "Readiness: every configured model has its champion loaded")
	@ApiResponse(responseCode = "200", description = "Ready")
	@ApiResponse(responseCode = "503", description = "Not ready, naming the models that wait")
	@GetMapping("/v2/health/ready")
	ResponseEntity<?> ready() {
		if (models.isReady()) {
			return ResponseEntity.ok(Map.of("ready", true));
		}
		List<String> waiting = models.all().stream().filter(model -> !model.isReady()).map(ServedModel::name).toList();
		String reason = models.names().isEmpty() ? "no model is configured (flywheel.inference.models)"
				: "no " + ServedModel.DEFAULT_ALIAS + " loaded yet for " + waiting;
		throw InferenceException.unavailable("Not ready: " + reason, java.time.Duration.ofSeconds(1));
	}

	@Tag(name = "Open Inference Protocol")
	@Operation(summary = "Whether a model (its champion) or a version is loaded")
	@Parameter(name = "version", description = "a version number or alias")
	@ApiResponse(responseCode = "200", description = "{name, ready}")
	@ApiResponse(responseCode = "404", description = "The model is not served here")
	@GetMapping({ "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready" })
	Map<String, Object> modelReady(@PathVariable String name, @PathVariable(required = false) String version) {
		LoadedVersion loaded = models.get(name).acquire(version);
		loaded.release();
		return Map.of("name", name, "ready", true);
	}

	@Tag(name = "Open Inference Protocol")
	@Operation(summary = "Model metadata", description = "One input per feature (FP64 numbers, INT64 integers, BYTES "
			+ "categories, shape [-1]), the outputs label, probabilities and prediction_id, the platform, the classes "
			+ "and the version and bundle digest in parameters")
	@Parameter(name = "version", description = "a version number or alias (the champion without one)")
	@ApiResponse(responseCode = "200", description = "The model's metadata")
	@ApiResponse(responseCode = "404", description = "The model or version is not served here")
	@ApiResponse(responseCode = "503", description = "The version is not loaded yet")
	@GetMapping({ "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
	ModelMetadata metadata(@PathVariable String name, @PathVariable(required = false) String version) {
		ServedModel model = models.get(name);
		LoadedVersion loaded = model.acquire(version);
		try {
			FeatureSchema schema = loaded.schema();
			List<TensorMetadata> inputs = schema.inputs()
				.stream()
				.map(input -> new TensorMetadata(input.name(), datatype(input), List.of(-1)))
				.toList();
			List<TensorMetadata> outputs = new ArrayList<>();
			for (String output : OipRequest.outputsOf(schema)) {
				outputs.add(switch (output) {
					case OipRequest.PROBABILITIES -> new TensorMetadata(output, "FP32", List.of(-1, schema.classes().size()));
					case OipRequest.PREDICTIONS -> new TensorMetadata(output, "FP32", List.of(-1, -1));
					default -> new TensorMetadata(output, "BYTES", List.of(-1));
				});
			}
			List<String> versions = model.snapshot().versions().keySet().stream().sorted(ServedModel::byNumber).toList();
			Map<String, Object> parameters = new LinkedHashMap<>();
			parameters.put("version", loaded.version());
			parameters.put("bundle_digest", loaded.digest());
			return new ModelMetadata(name, versions, PLATFORM, inputs, outputs, schema.classes(), parameters);
		}
		finally {
			loaded.release();
		}
	}

	@Tag(name = "Open Inference Protocol")
	@Operation(summary = "Inference", description = "One tensor per feature, shape [n] or [n, 1], or, for a model whose "
			+ "features are all numbers, one tensor `input` of shape [n, features] in signature order. The answer has "
			+ "model_name, model_version, id (the request's), the outputs label, probabilities and prediction_id, and "
			+ "parameters.prediction_id for a single row. `X-Flywheel-Variant` (or parameters.variant) names the A/B "
			+ "variant for the prediction log.")
	@Parameter(name = "version", description = "a version number or alias (the champion without one)")
	@Parameter(name = VARIANT_HEADER, description = "the A/B variant, recorded in the prediction log (the router sets it)")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = "application/json",
			schema = @Schema(type = "object", description = "An OIP v2 inference request"),
			examples = @ExampleObject(value = """
					{"id": "42", "inputs": [
					  {"name": "sepal_length", "shape": [1], "datatype": "FP64", "data": [5.1]},
					  {"name": "sepal_width", "shape": [1], "datatype": "FP64", "data": [3.5]},
					  {"name": "petal_length", "shape": [1], "datatype": "FP64", "data": [1.4]},
					  {"name": "petal_width", "shape": [1], "datatype": "FP64", "data": [0.2]}]}""")))
	@ApiResponse(responseCode = "200", description = "The inference response")
	@ApiResponse(responseCode = "400", description = "The request does not fit the model (the message names the input, "
			+ "feature, row or limit)")
	@ApiResponse(responseCode = "404", description = "The model or version is not served here")
	@ApiResponse(responseCode = "413", description = "The body is over flywheel.inference.limits.max-request-size")
	@ApiResponse(responseCode = "503", description = "The version is not loaded yet or its queue is full (Retry-After)")
	@ApiResponse(responseCode = "500", description = "The model failed on valid input")
	@PostMapping({ "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer" })
	Mono<InferenceResponse> infer(@PathVariable String name, @PathVariable(required = false) String version,
			@RequestHeader(name = VARIANT_HEADER, required = false) String variantHeader,
			ServerHttpRequest http) {
		return RequestBodies.read(http, maxBytes).flatMap(body -> {
			predictor.requireServed(name);
			OipRequest request;
			try {
				request = OipRequest.read(RequestJson.parse(body));
			}
			catch (InferenceException ex) {
				predictor.rejected(name, ex);
				throw ex;
			}
			String variant = variantHeader != null ? variantHeader : request.variant();
			return predictor.predict(name, version, request::rows, variant).map(prediction -> response(request, prediction));
		});
	}

	private static InferenceResponse response(OipRequest request, Prediction prediction) {
		List<String> wanted = request.outputs().isEmpty() ? OipRequest.outputsOf(prediction.rows().schema())
				: request.outputs();
		int rows = prediction.count();
		List<Output> outputs = new ArrayList<>();
		for (String name : wanted) {
			outputs.add(switch (name) {
				case OipRequest.LABEL -> new Output(name, List.of(rows), "BYTES", labels(prediction));
				case OipRequest.PROBABILITIES, OipRequest.PREDICTIONS ->
					new Output(name, List.of(rows, prediction.width()), "FP32", prediction.outputs());
				default -> new Output(name, List.of(rows), "BYTES", prediction.predictionIds());
			});
		}
		Map<String, Object> parameters = new LinkedHashMap<>();
		if (rows == 1) {
			parameters.put(OipRequest.PREDICTION_ID, prediction.predictionIds().get(0));
		}
		if (request.variant() != null) {
			parameters.put("variant", request.variant());
		}
		String id = request.id() != null ? request.id()
				: rows == 1 ? prediction.predictionIds().get(0) : PredictionIds.next(1).get(0);
		return new InferenceResponse(prediction.model(), prediction.version(), id, parameters, outputs);
	}

	private static List<String> labels(Prediction prediction) {
		List<String> labels = new ArrayList<>(prediction.count());
		for (int row = 0; row < prediction.count(); row++) {
			labels.add(prediction.label(row));
		}
		return labels;
	}

	private static String datatype(Signature.Input input) {
		return switch (input.type()) {
			case DOUBLE -> "FP64";
			case LONG -> "INT64";
			case STRING, CATEGORY -> "BYTES";
		};
	}

	@ExceptionHandler(Throwable.class)
	ResponseEntity<Error> error(Throwable failure) {
		InferenceException error = ApiErrors.classify(failure, maxBytes);
		if (error.status().is5xxServerError() && error.status().value() != 503) {
			logger.error("Inference request failed", failure);
		}
		return ApiErrors.response(error, new Error(error.getMessage()));
	}

}
