package dev.flywheel.registry.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.registry.mlflow.MlflowRequest;
import dev.flywheel.support.apidocs.ApiDocs;

/**
 * The registry's OpenAPI description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}; both are GETs, so
 * {@link WriteTokenFilter} leaves them open). springdoc finds every route in the controllers; the MLflow routes read
 * their fields through {@link MlflowRequest} (the query string of a GET, the JSON body otherwise), which springdoc
 * cannot see into, so {@link #MLFLOW} lists each route's summary and fields, the contract of
 * {@code shared/reference/mlflow-rest.md}: a GET gets them as query parameters, any other method as its JSON body.
 * Every MLflow route answers MLflow's error JSON. The {@code /ajax-api/2.0/...} mirror is left out of the document.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(MlflowRequest.class);
	}

	private static final String API = "/api/2.0/mlflow/";

	private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/";

	private static final String ERROR = "MlflowError";

	/**
	 * Each MLflow route ({@code [METHOD ]path}, the method only where one path's methods differ): its summary, then
	 * its fields, {@code *} marking the required ones and {@code []} the repeated ones (objects: {@code {}}).
	 */
	private static final Map<String, String> MLFLOW = Map.ofEntries(
			Map.entry("experiments/create", "Create an experiment | name* artifact_location tags{}[]"),
			Map.entry("experiments/get", "Get an experiment by id | experiment_id*"),
			Map.entry("experiments/get-by-name", "Get an experiment by name | experiment_name*"),
			Map.entry("experiments/search",
					"Search experiments | filter max_results page_token view_type order_by[]"),
			Map.entry("experiments/update", "Rename an experiment | experiment_id* new_name*"),
			Map.entry("experiments/delete", "Delete an experiment (soft: it can be restored) | experiment_id*"),
			Map.entry("experiments/restore", "Restore a deleted experiment | experiment_id*"),
			Map.entry("experiments/set-experiment-tag", "Set an experiment's tag | experiment_id* key* value"),
			Map.entry("runs/create",
					"Create a run (experiment 0 by default) | experiment_id run_name user_id start_time tags{}[]"),
			Map.entry("runs/get", "Get a run with its data | run_id* run_uuid"),
			Map.entry("runs/update", "Update a run's status, end time or name | run_id* run_uuid status end_time "
					+ "run_name"),
			Map.entry("runs/delete", "Delete a run (soft) | run_id*"),
			Map.entry("runs/restore", "Restore a deleted run | run_id*"),
			Map.entry("runs/log-metric", "Log a metric value | run_id* run_uuid key* value* timestamp* step"),
			Map.entry("runs/log-parameter", "Log a parameter (immutable) | run_id* run_uuid key* value"),
			Map.entry("runs/set-tag", "Set a run's tag | run_id* run_uuid key* value"),
			Map.entry("runs/delete-tag", "Delete a run's tag | run_id* key*"),
			Map.entry("runs/log-batch", "Log metrics, parameters and tags at once | run_id* metrics{}[] params{}[] "
					+ "tags{}[]"),
			Map.entry("runs/search", "Search runs (filter language and order_by as in MLflow) | experiment_ids[] "
					+ "filter run_view_type max_results order_by[] page_token"),
			Map.entry("metrics/get-history", "A metric's history | run_id* run_uuid metric_key* max_results "
					+ "page_token"),
			Map.entry("artifacts/list", "List a run's artifacts | run_id* run_uuid path"),
			Map.entry("registered-models/create", "Register a model | name* description tags{}[]"),
			Map.entry("registered-models/get", "Get a registered model | name*"),
			Map.entry("registered-models/rename", "Rename a registered model | name* new_name*"),
			Map.entry("registered-models/update", "Update a registered model's description | name* description"),
			Map.entry("registered-models/delete", "Delete a registered model and its versions | name*"),
			Map.entry("registered-models/search", "Search registered models | filter max_results order_by[] "
					+ "page_token"),
			Map.entry("registered-models/get-latest-versions", "The latest version per stage | name* stages[]"),
			Map.entry("registered-models/set-tag", "Set a registered model's tag | name* key* value"),
			Map.entry("registered-models/delete-tag", "Delete a registered model's tag | name* key*"),
			Map.entry("POST registered-models/alias", "Set or move an alias to a version | name* alias* version*"),
			Map.entry("GET registered-models/alias", "The version an alias points to | name* alias*"),
			Map.entry("DELETE registered-models/alias", "Remove an alias | name* alias*"),
			Map.entry("model-versions/create", "Create a model version (source runs:/<run>/<path> or a location) | "
					+ "name* source* run_id run_link description tags{}[]"),
			Map.entry("model-versions/get", "Get a model version | name* version*"),
			Map.entry("model-versions/update", "Update a model version's description | name* version* description"),
			Map.entry("model-versions/delete", "Delete a model version | name* version*"),
			Map.entry("model-versions/search", "Search model versions | filter max_results order_by[] page_token"),
			Map.entry("model-versions/set-tag", "Set a model version's tag | name* version* key* value"),
			Map.entry("model-versions/delete-tag", "Delete a model version's tag | name* version* key*"),
			Map.entry("model-versions/get-download-uri", "Where a model version's artifacts are | name* version*"),
			Map.entry("model-versions/transition-stage", "Move a model version to a stage | name* version* stage* "
					+ "archive_existing_versions*"));

	/** The other routes: summary and description. */
	private static final Map<String, String[]> OTHERS = Map.of(
			ARTIFACTS + "artifacts/{path}", new String[] { "Artifact proxy: one artifact",
					"PUT uploads the body, GET downloads it, DELETE removes it; `path` may hold slashes" },
			ARTIFACTS + "artifacts", new String[] { "Artifact proxy: list a directory", "`?path=` the directory" },
			ARTIFACTS + "mpu/create/{path}", new String[] { "Multipart upload: answered 501 by design",
					"MLflow's 501 NOT_IMPLEMENTED, as MLflow's own server without multipart storage: clients then "
							+ "upload with one streamed PUT (atomic, digested on the way)" },
			ARTIFACTS + "mpu/complete/{path}", new String[] { "Multipart upload: answered 501 by design",
					"see mpu/create" },
			ARTIFACTS + "mpu/abort/{path}", new String[] { "Multipart upload: answered 501 by design",
					"see mpu/create" },
			"/api/2.0/flywheel/events", new String[] { "The registry event stream (Server-Sent Events)",
					"Model and version created or deleted, alias set or deleted; resume with Last-Event-ID or "
							+ "`?after=<id>`; a comment every 15 s keeps idle connections open" },
			"/api/2.0/flywheel/models/{name}/versions/{version}/bundle", new String[] { "A model version's bundle",
					"The bundle as one zip; `version` is a number or an alias; the digest is the ETag, "
							+ "If-None-Match answers 304" },
			"/health", new String[] { "Health, as MLflow's tracking server answers it", "`OK`" },
			"/version", new String[] { "The MLflow version this registry is compatible with", "`2.17.2`" });

	@Bean
	OpenAPI registryOpenApi(@Value("${spring.application.version:development}") String version) {
		return new OpenAPI().info(new Info().title("Flywheel model registry")
			.version(version)
			.description("""
					An MLflow-compatible tracking server and model registry (MLflow REST API 2.0, as in MLflow \
					2.17.2; port 5000) with MLflow's artifact proxy, the registry event stream and model bundles. \
					See model-registry/README.md. Every MLflow route is also served under `/ajax-api/2.0/...`. \
					When `flywheel.security.token` is set, writes need `Authorization: Bearer <token>`."""))
			.components(new Components());
	}

	/** Schemas of the answers' records with the API's snake_case names (the service's Jackson writes them so). */
	@Bean
	ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return ApiDocs.snakeCaseModelResolver(mappers);
	}

	@Bean
	OpenApiCustomizer mlflowRoutes() {
		return openApi -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents().addSchemas(ERROR, errorSchema());
			Paths paths = new Paths();
			openApi.getPaths().forEach((path, item) -> {
				if (path.startsWith("/ajax-api/")) {
					return;
				}
				String documented = path.replace("/**", "/{path}");
				if (!documented.equals(path)) {
					item.readOperations().forEach(operation -> operation.addParametersItem(new PathParameter()
						.name("path").description("the artifact's path (may hold slashes)").schema(new StringSchema())));
				}
				item.readOperationsMap().forEach((method, operation) -> describe(documented, method, operation));
				paths.addPathItem(documented, item);
			});
			openApi.setPaths(paths);
		};
	}

	private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
		ApiResponses responses = operation.getResponses();
		responses.values().forEach(response -> {
			if (response.getContent() != null && response.getContent().keySet().equals(Set.of("*/*"))) {
				String type = path.startsWith("/api/") ? "application/json" : "text/plain";
				response.setContent(new Content().addMediaType(type, response.getContent().get("*/*")));
			}
		});
		if (path.startsWith("/api/")) {
			responses.addApiResponse("400", error("INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS or BAD_REQUEST"))
				.addApiResponse("404", error("RESOURCE_DOES_NOT_EXIST"));
			if (method != PathItem.HttpMethod.GET) {
				responses.addApiResponse("401", error("UNAUTHENTICATED: no or a wrong bearer token"));
			}
		}
		String[] other = OTHERS.get(path);
		if (other != null) {
			operation.summary(other[0]).description(other[1]).tags(List.of("Flywheel and artifacts"));
			if (path.startsWith(ARTIFACTS + "mpu/")) {
				responses.addApiResponse("501", error("NOT_IMPLEMENTED: clients fall back to one PUT"));
			}
			else if (path.endsWith("/bundle")) {
				responses.addApiResponse("200", binary("The bundle", "application/zip"))
					.addApiResponse("304", new ApiResponse().description("If-None-Match named the digest"));
			}
			else if (path.equals(ARTIFACTS + "artifacts/{path}") && method == PathItem.HttpMethod.GET) {
				responses.addApiResponse("200", binary("The artifact", "application/octet-stream"));
			}
			else if (path.equals(ARTIFACTS + "artifacts/{path}") && method == PathItem.HttpMethod.PUT) {
				operation.requestBody(new RequestBody().required(true).content(new Content().addMediaType(
						"application/octet-stream", new MediaType().schema(new StringSchema().format("binary")))));
			}
			return;
		}
		if (!path.startsWith(API)) {
			return;
		}
		String route = path.substring(API.length());
		String entry = MLFLOW.getOrDefault(method + " " + route, MLFLOW.get(route));
		if (entry == null) {
			return;
		}
		String[] parts = entry.split(" \\| ");
		String area = route.substring(0, route.indexOf('/'));
		operation.summary(parts[0])
			.description("MLflow's `" + route + "` (shared/reference/mlflow-rest.md); int64 fields are accepted "
					+ "as numbers or strings")
			.tags(List.of("MLflow " + area));
		if (method == PathItem.HttpMethod.GET) {
			for (String field : parts[1].split(" ")) {
				operation.addParametersItem(new QueryParameter().name(name(field))
					.required(field.endsWith("*"))
					.schema(field.endsWith("[]") ? new ArraySchema().items(new StringSchema()) : new StringSchema()));
			}
		}
		else {
			ObjectSchema body = new ObjectSchema();
			List<String> required = new ArrayList<>();
			for (String field : parts[1].split(" ")) {
				Schema<?> item = field.contains("{}") ? new ObjectSchema() : new StringSchema();
				body.addProperty(name(field), field.endsWith("[]") ? new ArraySchema().items(item) : item);
				if (field.endsWith("*")) {
					required.add(name(field));
				}
			}
			body.required(required.isEmpty() ? null : required);
			operation.requestBody(new RequestBody().required(!required.isEmpty())
				.content(new Content().addMediaType("application/json", new MediaType().schema(body))));
		}
	}

	private static String name(String field) {
		return field.replaceAll("[*\\[\\]{}]", "");
	}

	private static ApiResponse binary(String description, String mediaType) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(mediaType, new MediaType().schema(new StringSchema().format("binary"))));
	}

	private static ApiResponse error(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))));
	}

	private static Schema<?> errorSchema() {
		return new ObjectSchema().description("MLflow's error, with MLflow's status mapping")
			.addProperty("error_code", new StringSchema().example("RESOURCE_DOES_NOT_EXIST"))
			.addProperty("message", new StringSchema());
	}

}
