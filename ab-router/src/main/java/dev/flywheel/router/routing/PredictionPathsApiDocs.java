package dev.flywheel.router.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

import dev.flywheel.router.assignment.UnitKeys;

/**
 * The OpenAPI description of {@link PredictionPaths}: Reactor Netty serves them ahead of WebFlux, so springdoc, which
 * reads WebFlux's mappings, cannot see them. The routed paths ({@code .../infer}, {@code :predict},
 * {@code /invocations}) with their bodies, the {@value UnitKeys#HEADER} header and OIP {@code parameters.unit} that
 * pick the variant, and what the router adds to a routed answer (the variant and test in the body and in headers);
 * the read-only paths, passed through to the inference service, by name.
 */
@Component
class PredictionPathsApiDocs implements OpenApiCustomizer {

	private static final String TAG = "Predictions (routed)";

	@Override
	public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
		openApi.path("/v2/models/{name}/infer", new PathItem().post(oipInfer(false)));
		openApi.path("/v2/models/{name}/versions/{version}/infer", new PathItem().post(oipInfer(true)));
		openApi.path("/v1/models/{name}:predict", new PathItem().post(plainPredict()));
		openApi.path("/invocations", new PathItem().post(invocations()));
		for (String path : PredictionPaths.READ_ONLY_PATHS) {
			Operation read = new Operation().addTagsItem(TAG)
				.operationId("passThrough" + path.replaceAll("[^A-Za-z0-9]", "_"))
				.summary("Passed through to the inference service as it is")
				.description("The inference service's read-only path (health, model metadata, readiness, ping, "
						+ "version), answered by the inference service unchanged; 503 when it cannot be reached.")
				.responses(new ApiResponses().addApiResponse("200", json("The inference service's answer", null))
					.addApiResponse("503", json("The inference service cannot be reached", null)));
			for (String name : List.of("name", "version", "probe")) {
				if (path.contains("{" + name + "}")) {
					read.addParametersItem(path(name, name));
				}
			}
			openApi.path(path, new PathItem().get(read));
		}
	}

	private static Operation oipInfer(boolean versioned) {
		Operation operation = routed(versioned ? "Open Inference Protocol inference by a named version"
				: "Open Inference Protocol inference, routed to the A/B variant",
				versioned ? "Goes to the named version as it is: no A/B assignment (its predictions are still "
						+ "recorded, for feedback)."
						: "While the model has a running A/B test, the unit key picks the variant; the answer "
								+ "carries `parameters.variant` and `parameters.ab_test_id`.")
			.operationId(versioned ? "inferVersion" : "infer")
			.addParametersItem(path("name", "the registered model"));
		if (versioned) {
			operation.addParametersItem(path("version", "a version number or alias"));
		}
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("id", "42");
		request.put("inputs", List.of(Map.of("name", "sepal_length", "shape", List.of(1), "datatype", "FP64", "data",
				List.of(5.1))));
		request.put("parameters", Map.of("unit", "user-123"));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("model_name", "iris");
		answer.put("model_version", "2");
		answer.put("id", "42");
		answer.put("parameters", Map.of("prediction_id", "6f1c...", "variant", "challenger", "ab_test_id", "1b4e..."));
		answer.put("outputs", List.of(Map.of("name", "label", "shape", List.of(1), "datatype", "BYTES", "data",
				List.of("setosa"))));
		Schema<?> requestSchema = new ObjectSchema().description("An OIP v2 inference request")
			.addProperty("id", new StringSchema())
			.addProperty("inputs", new ArraySchema().items(tensor()))
			.addProperty("outputs", new ArraySchema().items(new ObjectSchema().addProperty("name", new StringSchema())))
			.addProperty("parameters", new ObjectSchema().addProperty("unit", new StringSchema()
				.description("the unit key, used when no " + UnitKeys.HEADER + " header is given")));
		Schema<?> answerSchema = new ObjectSchema().description("An OIP v2 inference response")
			.addProperty("model_name", new StringSchema())
			.addProperty("model_version", new StringSchema())
			.addProperty("id", new StringSchema())
			.addProperty("parameters", new ObjectSchema()
				.addProperty("prediction_id", new StringSchema().description("for a single row"))
				.addProperty("variant", new StringSchema().description("added by the router"))
				.addProperty("ab_test_id", new StringSchema().description("added by the router")))
			.addProperty("outputs", new ArraySchema().items(tensor()));
		return operation.requestBody(body(requestSchema, request))
			.responses(answers(answerSchema, answer, oipError()));
	}

	private static Operation plainPredict() {
		Map<String, Object> request = Map.of("instances", List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5,
				"petal_length", 1.4, "petal_width", 0.2)));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("predictions", List.of(Map.of("label", "setosa", "probabilities", Map.of("setosa", 0.97,
				"versicolor", 0.02, "virginica", 0.01))));
		answer.put("model_version", "2");
		answer.put("prediction_ids", List.of("6f1c..."));
		answer.put("variant", "challenger");
		answer.put("ab_test_id", "1b4e...");
		Schema<?> answerSchema = new ObjectSchema()
			.addProperty("predictions", new ArraySchema().items(new ObjectSchema()
				.addProperty("label", new StringSchema())
				.addProperty("probabilities", new ObjectSchema().additionalProperties(new Schema<>().type("number")))))
			.addProperty("model_version", new StringSchema())
			.addProperty("prediction_ids", new ArraySchema().items(new StringSchema()))
			.addProperty("variant", new StringSchema().description("added by the router"))
			.addProperty("ab_test_id", new StringSchema().description("added by the router"));
		return routed("Plain prediction (KServe V1 shape), routed to the A/B variant",
				"`?version=` sends the request to that version as it is; otherwise a running A/B test picks the "
						+ "variant, named by `variant` and `ab_test_id`.")
			.operationId("predict")
			.addParametersItem(path("name", "the registered model"))
			.addParametersItem(query("version", "a version number or alias: no A/B assignment"))
			.requestBody(body(new ObjectSchema().addProperty("instances", new ArraySchema().items(new Schema<>()
				.description("a record {feature: value} or a list of values in signature order"))), request))
			.responses(answers(answerSchema, answer, oipError()));
	}

	private static Operation invocations() {
		Map<String, Object> request = Map.of("dataframe_split", Map.of("columns", List.of("sepal_length",
				"sepal_width", "petal_length", "petal_width"), "data", List.of(List.of(5.1, 3.5, 1.4, 0.2))));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("predictions", List.of("setosa"));
		answer.put("probabilities", List.of(List.of(0.97, 0.02, 0.01)));
		answer.put("model_version", "2");
		answer.put("prediction_ids", List.of("6f1c..."));
		answer.put("variant", "challenger");
		answer.put("ab_test_id", "1b4e...");
		Schema<?> answerSchema = new ObjectSchema()
			.addProperty("predictions", new ArraySchema().items(new Schema<>()))
			.addProperty("probabilities", new ArraySchema().items(new ArraySchema().items(new Schema<>().type("number"))))
			.addProperty("model_version", new StringSchema())
			.addProperty("prediction_ids", new ArraySchema().items(new StringSchema()))
			.addProperty("variant", new StringSchema().description("added by the router"))
			.addProperty("ab_test_id", new StringSchema().description("added by the router"));
		Schema<?> mlflowError = new ObjectSchema().addProperty("error_code", new StringSchema()
			.example("INVALID_PARAMETER_VALUE")).addProperty("message", new StringSchema());
		RequestBody body = body(new ObjectSchema().description("One of `dataframe_split`, `dataframe_records`, "
				+ "`instances` or `inputs`, as MLflow's scoring server takes them"), request);
		body.getContent().addMediaType("text/csv", new MediaType().schema(new StringSchema()
			.example("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n")));
		return routed("MLflow scoring, routed to the A/B variant",
				"`?model=` names the model (it may be left out when the router serves one, "
						+ "`flywheel.inference.models`); `?version=` sends the request to that version as it is.")
			.operationId("invocations")
			.addParametersItem(query("model", "the registered model"))
			.addParametersItem(query("version", "a version number or alias: no A/B assignment"))
			.requestBody(body)
			.responses(answers(answerSchema, answer, mlflowError));
	}

	/** An operation of a routed path, with the unit-key header every routed path reads. */
	private static Operation routed(String summary, String description) {
		return new Operation().addTagsItem(TAG)
			.summary(summary)
			.description(description + " Forwarded to the inference service with the variant named in "
					+ PredictionRouter.VARIANT_HEADER + ". See ab-router/README.md, \"Routing predictions\".")
			.addParametersItem(new HeaderParameter().name(UnitKeys.HEADER)
				.description("The unit key that picks the variant (sticky per key; wins over OIP parameters.unit); "
						+ "without one a random key is made up for this request and echoed in the answer. At most "
						+ "256 characters.")
				.schema(new StringSchema().maxLength(256)));
	}

	private static ApiResponses answers(Schema<?> schema, Object example, Schema<?> error) {
		ApiResponse ok = json("The inference service's answer, with the test and variant added", schema);
		ok.getContent().get("application/json").example(example);
		ok.headers(Map.of(PredictionRouter.VARIANT_HEADER, header("the variant that answered"),
				PredictionRouter.TEST_HEADER, header("the A/B test's id"), UnitKeys.HEADER,
				header("the unit key used (a random one is how a client without a key learns it)")));
		ApiResponse unavailable = json("The inference service cannot be reached or the version is not loaded yet",
				error);
		unavailable.headers(Map.of("Retry-After", header("seconds")));
		return new ApiResponses().addApiResponse("200", ok)
			.addApiResponse("400", json("The request does not fit the model, or a unit key is over 256 characters",
					error))
			.addApiResponse("404", json("The model or version is not served", error))
			.addApiResponse("413", json("The body is over flywheel.router.max-request-size", error))
			.addApiResponse("503", unavailable)
			.addApiResponse("500", json("The model or the router failed", error));
	}

	private static Schema<?> tensor() {
		return new ObjectSchema().addProperty("name", new StringSchema())
			.addProperty("shape", new ArraySchema().items(new Schema<>().type("integer")))
			.addProperty("datatype", new StringSchema().example("FP64"))
			.addProperty("data", new ArraySchema().items(new Schema<>()));
	}

	private static Schema<?> oipError() {
		return new ObjectSchema().addProperty("error", new StringSchema());
	}

	private static ApiResponse json(String description, Schema<?> schema) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(schema == null ? new ObjectSchema() : schema)));
	}

	private static RequestBody body(Schema<?> schema, Object example) {
		return new RequestBody().required(true)
			.content(new Content().addMediaType("application/json", new MediaType().schema(schema).example(example)));
	}

	private static Header header(String description) {
		return new Header().description(description).schema(new StringSchema());
	}

	private static Parameter path(String name, String description) {
		return new PathParameter().name(name).description(description).schema(new StringSchema());
	}

	private static Parameter query(String name, String description) {
		return new QueryParameter().name(name).description(description).schema(new StringSchema());
	}

}
