package dev.flywheel.support.apidocs;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;

/**
 * What every service's OpenAPI description (springdoc, {@code /v3/api-docs}) needs alike: schemas named as the
 * services' JSON is (snake_case), and the media types springdoc leaves open filled in.
 */
public final class ApiDocs {

	private ApiDocs() {
	}

	/** An error answer's body on some path: its media type and the component schema it is. */
	public record ErrorBody(String mediaType, String schema) {
	}

	/**
	 * Schemas of the answers' records with the API's snake_case names: springdoc reads the records with a Jackson 2
	 * mapper of its own, which would give them camelCase.
	 */
	public static ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return new ModelResolver(
				mappers.jsonMapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	/**
	 * Adds {@code schemas} to the components and fills the answers springdoc leaves open ({@code *}/{@code *} or
	 * none): an error answer (4xx, 5xx) gets the body {@code errorBodyOf} gives for its path (left as it is when that
	 * gives null), any other a JSON answer.
	 */
	public static OpenApiCustomizer errorBodies(Map<String, Schema<?>> schemas,
			Function<String, ErrorBody> errorBodyOf) {
		return openApi -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			schemas.forEach(openApi.getComponents()::addSchemas);
			openApi.getPaths().forEach((path, item) -> {
				ErrorBody errorBody = errorBodyOf.apply(path);
				item.readOperations().forEach(operation -> operation.getResponses().forEach((status, response) -> {
					boolean open = response.getContent() == null
							|| response.getContent().keySet().equals(Set.of("*/*"));
					if (open && errorBody != null && (status.startsWith("4") || status.startsWith("5"))) {
						response.setContent(new Content().addMediaType(errorBody.mediaType(), new MediaType()
							.schema(new Schema<>().$ref("#/components/schemas/" + errorBody.schema()))));
					}
					else if (open && response.getContent() != null) {
						response.setContent(new Content().addMediaType("application/json",
								response.getContent().get("*/*")));
					}
				}));
			});
		};
	}

}
