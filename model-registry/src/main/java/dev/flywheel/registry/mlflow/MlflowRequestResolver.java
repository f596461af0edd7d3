package dev.flywheel.registry.mlflow;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

import dev.flywheel.registry.system.RegistryProperties;

/**
 * Gives MLflow handlers their {@link MlflowRequest}. Like MLflow's server it reads the body as JSON whatever the
 * Content-Type says (curl's default form type included), falls back to the query string, and refuses a body over
 * {@code flywheel.registry.max-request-size} without reading the rest.
 */
public class MlflowRequestResolver implements HandlerMethodArgumentResolver {

	private final int maxBytes;

	public MlflowRequestResolver(RegistryProperties properties) {
		this.maxBytes = (int) Math.min(Integer.MAX_VALUE, properties.registry().maxRequestSize().toBytes());
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == MlflowRequest.class;
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		var request = exchange.getRequest();
		if (request.getMethod() == HttpMethod.GET) {
			return Mono.just(MlflowRequest.of(null, request.getQueryParams()));
		}
		return DataBufferUtils.join(request.getBody(), maxBytes).map(buffer -> {
			try {
				return buffer.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty("").map(body -> MlflowRequest.of(body, request.getQueryParams()));
	}

}
