package dev.flywheel.router.routing;

import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.flywheel.router.assignment.UnitKeys;
import dev.flywheel.router.system.RouterProperties;

/**
 * The inference service's paths on the router: the three prediction APIs, routed by {@link PredictionRouter}, and
 * the read-only ones (health, metadata, readiness, {@code /ping}, {@code /version}) passed through as they are, so
 * that an OIP or MLflow client pointed at the router works unchanged. Functional endpoints, matched before the
 * annotated controllers: on the hot path they cost less than an annotated method's mapping and argument resolution.
 */
@Configuration(proxyBeanMethods = false)
class RoutingApi {

	private final PredictionRouter router;

	private final InferenceClient inference;

	private final List<String> servedModels;

	private final int maxRequestBytes;

	RoutingApi(PredictionRouter router, InferenceClient inference, RouterProperties properties) {
		this.router = router;
		this.inference = inference;
		this.servedModels = properties.inference().models();
		this.maxRequestBytes = (int) Math.min(Integer.MAX_VALUE, properties.router().maxRequestSize().toBytes());
	}

	@Bean
	RouterFunction<ServerResponse> predictionPaths() {
		return RouterFunctions.route()
			.POST("/v2/models/{name}/infer", request -> infer(request, null))
			.POST("/v2/models/{name}/versions/{version}/infer",
					request -> infer(request, request.pathVariable("version")))
			.POST("/v1/models/{name}:predict", this::predict)
			.POST("/invocations", this::invocations)
			.GET("/v2", this::read)
			.GET("/v2/health/{probe}", this::read)
			.GET("/v2/models/{name}", this::read)
			.GET("/v2/models/{name}/ready", this::read)
			.GET("/v2/models/{name}/versions/{version}", this::read)
			.GET("/v2/models/{name}/versions/{version}/ready", this::read)
			.GET("/ping", this::read)
			.GET("/version", this::read)
			.GET("/v1/models", this::read)
			.GET("/v1/models/{name}", this::read)
			.build();
	}

	private Mono<ServerResponse> infer(ServerRequest request, String version) {
		String name = request.pathVariable("name");
		return body(Protocol.OIP, request,
				body -> router.route(Protocol.OIP, name, version, unit(request), contentType(request), body));
	}

	private Mono<ServerResponse> predict(ServerRequest request) {
		String name = request.pathVariable("name");
		String version = request.queryParam("version").orElse(null);
		return body(Protocol.PLAIN, request,
				body -> router.route(Protocol.PLAIN, name, version, unit(request), contentType(request), body));
	}

	private Mono<ServerResponse> invocations(ServerRequest request) {
		String model = request.queryParam("model").filter(m -> !m.isBlank()).orElse(null);
		String name = model != null ? model : servedModels.size() == 1 ? servedModels.get(0) : null;
		String version = request.queryParam("version").orElse(null);
		return body(Protocol.SCORING, request,
				body -> router.route(Protocol.SCORING, name, version, unit(request), contentType(request), body));
	}

	private Mono<ServerResponse> read(ServerRequest request) {
		String path = request.uri().getRawPath() + (request.uri().getRawQuery() == null ? ""
				: "?" + request.uri().getRawQuery());
		Protocol protocol = path.startsWith("/v2") ? Protocol.OIP : path.startsWith("/v1") ? Protocol.PLAIN
				: Protocol.SCORING;
		return inference.get(path)
			.flatMap(answer -> PredictionRouter.passOn(answer, null))
			.onErrorResume(InferenceUnavailableException.class, ex -> PredictionRouter.unavailable(protocol, ex));
	}

	private Mono<ServerResponse> body(Protocol protocol, ServerRequest request,
			Function<byte[], Mono<ServerResponse>> route) {
		return bytes(request, maxRequestBytes).flatMap(route)
			.onErrorResume(DataBufferLimitException.class, ex -> PredictionRouter.error(protocol,
					HttpStatus.CONTENT_TOO_LARGE, "The request body is over " + maxRequestBytes
							+ " bytes (flywheel.router.max-request-size)", null));
	}

	/** The request's body, empty when it has none; fails with {@link DataBufferLimitException} past {@code max}. */
	static Mono<byte[]> bytes(ServerRequest request, int max) {
		return DataBufferUtils.join(request.exchange().getRequest().getBody(), max)
			.map(buffer -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.defaultIfEmpty(new byte[0]);
	}

	private static String unit(ServerRequest request) {
		return request.headers().firstHeader(UnitKeys.HEADER);
	}

	private static String contentType(ServerRequest request) {
		return request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
	}

}
