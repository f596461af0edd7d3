package dev.flywheel.router.system;

import java.util.List;
import java.util.Map;

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
 * The router's OpenAPI description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}), made by springdoc
 * from the annotated controllers (the A/B test, results and feedback APIs) and, for the prediction paths that Reactor
 * Netty serves ahead of WebFlux, by {@code routing.PredictionPathsApiDocs}. Here: the document's info, schemas named
 * in snake_case as the API writes them, and the RFC 9457 problem body of every 4xx and 5xx answer of
 * {@code /api/v1/**}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	private static final String PROBLEM = "Problem";

	@Bean
	OpenAPI routerOpenApi(@Value("${spring.application.version:development}") String version) {
		return new OpenAPI().info(new Info().title("Flywheel A/B router")
			.version(version)
			.description("""
					The public entry point of Flywheel (port 8080): sticky A/B tests between versions of a registered \
					model (`/api/v1/ab-tests`), their results, feedback (`/api/v1/feedback`), and the inference \
					service's prediction APIs (Open Inference Protocol, MLflow scoring, plain), routed to the variant \
					of the model's running test. See ab-router/README.md. Errors of `/api/v1/**` are RFC 9457 \
					`application/problem+json`; those of the prediction paths are in the protocol's own format."""))
			.components(new Components());
	}

	/** Schemas of the answers' records with the API's snake_case names (the service's Jackson writes them so). */
	@Bean
	ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return ApiDocs.snakeCaseModelResolver(mappers);
	}

	/**
	 * The media types springdoc leaves open: a JSON answer, and for every error answer of {@code /api/v1/**}
	 * documented without a media type of its own, an RFC 9457 problem.
	 */
	@Bean
	OpenApiCustomizer problemBodies() {
		return ApiDocs.errorBodies(Map.of(PROBLEM, problemSchema()), path -> path.startsWith("/api/")
				? new ApiDocs.ErrorBody("application/problem+json", PROBLEM) : null);
	}

	private static Schema<?> problemSchema() {
		Schema<?> fieldError = new ObjectSchema().addProperty("field", new StringSchema().example("variants[1].weight"))
			.addProperty("message", new StringSchema().example("must be positive and finite"));
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type",
					new StringSchema().format("uri").example("https://flywheel.dev/problems/invalid-ab-test"))
			.addProperty("title", new StringSchema().example("Invalid A/B test request"))
			.addProperty("status", new IntegerSchema().example(400))
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema())
			.addProperty("errors", new ArraySchema().items(fieldError)
				.description("for bad input: every field at fault (JSON paths), all at once"))
			.required(List.of("type", "title", "status"));
	}

}
