package dev.flywheel.inference.system;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.support.apidocs.ApiDocs;

/**
 * The inference service's OpenAPI description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}), made by
 * springdoc from the annotated controllers; it only adds endpoints, no filter, so the prediction paths cost what they
 * did. Here: the document's info, schemas named in snake_case as the API writes them, and the body of every error
 * answer documented without one: MLflow's {@code {"error_code", "message"}} on the scoring paths, {@code {"error"}}
 * elsewhere.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	private static final Set<String> SCORING = Set.of("/invocations", "/ping", "/version");

	@Bean
	OpenAPI inferenceOpenApi(@Value("${spring.application.version:development}") String version) {
		return new OpenAPI().info(new Info().title("Flywheel inference service")
			.version(version)
			.description("""
					Serves the registered models' champion (and challenger, and pinned versions) on port 8081, over \
					the Open Inference Protocol v2 (`/v2/...`), MLflow scoring (`/invocations`) and a plain KServe \
					V1 shaped API (`/v1/models/{name}:predict`). Every answer names the version that computed it and \
					carries one `prediction_id` per row. See inference-service/README.md."""))
			.components(new Components());
	}

	/** Schemas of the answers' records with the API's snake_case names (the service's Jackson writes them so). */
	@Bean
	ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return ApiDocs.snakeCaseModelResolver(mappers);
	}

	/**
	 * The media types springdoc leaves open: a JSON answer, and for every error answer documented without a media
	 * type of its own, MLflow's error on the scoring paths, {@code {"error"}} elsewhere.
	 */
	@Bean
	OpenApiCustomizer errorBodies() {
		return ApiDocs.errorBodies(schemas(),
				path -> new ApiDocs.ErrorBody("application/json", SCORING.contains(path) ? "MlflowError" : "Error"));
	}

	private static Map<String, Schema<?>> schemas() {
		Schema<?> mlflowError = new ObjectSchema().addProperty("error_code", new StringSchema()
			.example("INVALID_PARAMETER_VALUE")).addProperty("message", new StringSchema());
		Schema<?> error = new ObjectSchema().addProperty("error", new StringSchema()).required(List.of("error"));
		return Map.of("MlflowError", mlflowError, "Error", error);
	}

}
