package dev.flywheel.monitoring.system;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
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
 * Monitoring's OpenAPI description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}), made by springdoc
 * from the annotated controllers. Here: the document's info, schemas named in snake_case as the API writes them, and
 * the body of every error answer documented without one: an RFC 9457 problem on the ingestion posts
 * ({@code IngestProblems}), {@code {"error": "..."}} on the read and retraining APIs.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	private static final Set<String> INGESTION = Set.of("/api/v1/predictions", "/api/v1/feedback");

	@Bean
	OpenAPI monitoringOpenApi(@Value("${spring.application.version:development}") String version) {
		return new OpenAPI().info(new Info().title("Flywheel monitoring")
			.version(version)
			.description("""
					Flywheel's monitoring (port 8082): the prediction log the inference service posts and the \
					feedback the router forwards, drift over live windows, live quality, the model report, and \
					retraining (manual and automatic triggers, jobs). See monitoring/README.md."""))
			.components(new Components());
	}

	/** Schemas of the answers' records with the API's snake_case names (the service's Jackson writes them so). */
	@Bean
	ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return ApiDocs.snakeCaseModelResolver(mappers);
	}

	/**
	 * The media types springdoc leaves open: a JSON answer, and for every error answer documented without a media
	 * type of its own, an RFC 9457 problem on the ingestion posts, {@code {"error"}} elsewhere.
	 */
	@Bean
	OpenApiCustomizer errorBodies() {
		return ApiDocs.errorBodies(schemas(), path -> INGESTION.contains(path)
				? new ApiDocs.ErrorBody("application/problem+json", "Problem")
				: new ApiDocs.ErrorBody("application/json", "Error"));
	}

	private static Map<String, Schema<?>> schemas() {
		Schema<?> problem = new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().format("uri").example("https://flywheel.dev/problems/invalid-body"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("errors", new ArraySchema().items(new ObjectSchema().addProperty("field", new StringSchema()
				.example("predictions[1].features.x[3]")).addProperty("message", new StringSchema())))
			.required(List.of("type", "title", "status"));
		Schema<?> error = new ObjectSchema().addProperty("error", new StringSchema()).required(List.of("error"));
		return Map.of("Problem", problem, "Error", error);
	}

}
