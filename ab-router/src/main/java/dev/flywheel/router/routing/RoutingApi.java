package dev.flywheel.router.routing;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.router.assignment.UnitKeys;
import dev.flywheel.router.system.RouterProperties;

/**
 * The inference service's paths on the router: the three prediction APIs, routed by {@link PredictionRouter}, and
 * the read-only ones (health, metadata, readiness, {@code /ping}, {@code /version}) passed through as they are, so
 * that an OIP or MLflow client pointed at the router works unchanged.
 */
@RestController
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

	@PostMapping({ "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer" })
	Mono<ResponseEntity<byte[]>> infer(@PathVariable String name, @PathVariable(required = false) String version,
			@RequestHeader(name = UnitKeys.HEADER, required = false) String unit, ServerHttpRequest http) {
		return body(Protocol.OIP, http,
				body -> router.route(Protocol.OIP, name, version, unit, contentType(http), body));
	}

	@PostMapping("/v1/models/{name}:predict")
	Mono<ResponseEntity<byte[]>> predict(@PathVariable String name,
			@RequestParam(name = "version", required = false) String version,
			@RequestHeader(name = UnitKeys.HEADER, required = false) String unit, ServerHttpRequest http) {
		return body(Protocol.PLAIN, http,
				body -> router.route(Protocol.PLAIN, name, version, unit, contentType(http), body));
	}

	@PostMapping("/invocations")
	Mono<ResponseEntity<byte[]>> invocations(@RequestParam(name = "model", required = false) String model,
			@RequestParam(name = "version", required = false) String version,
			@RequestHeader(name = UnitKeys.HEADER, required = false) String unit, ServerHttpRequest http) {
		String name = model != null && !model.isBlank() ? model : servedModels.size() == 1 ? servedModels.get(0) : null;
		return body(Protocol.SCORING, http,
				body -> router.route(Protocol.SCORING, name, version, unit, contentType(http), body));
	}

	@GetMapping({ "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/ready",
			"/v2/models/{name}/versions/{version}", "/v2/models/{name}/versions/{version}/ready", "/ping", "/version",
			"/v1/models", "/v1/models/{name}" })
	Mono<ResponseEntity<byte[]>> read(ServerHttpRequest http) {
		String path = http.getURI().getRawPath() + (http.getURI().getRawQuery() == null ? ""
				: "?" + http.getURI().getRawQuery());
		Protocol protocol = path.startsWith("/v2") ? Protocol.OIP : path.startsWith("/v1") ? Protocol.PLAIN
				: Protocol.SCORING;
		return inference.get(path)
			.map(answer -> {
				ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
				if (answer.contentType() != null) {
					response.header(HttpHeaders.CONTENT_TYPE, answer.contentType());
				}
				return response.body(answer.body());
			})
			.onErrorResume(InferenceUnavailableException.class, ex -> Mono.just(PredictionRouter.error(protocol,
					HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage() + "; try again later", "5")));
	}

	private Mono<ResponseEntity<byte[]>> body(Protocol protocol, ServerHttpRequest http,
			java.util.function.Function<byte[], Mono<ResponseEntity<byte[]>>> route) {
		return DataBufferUtils.join(http.getBody(), maxRequestBytes)
			.map(buffer -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.defaultIfEmpty(new byte[0])
			.flatMap(route)
			.onErrorResume(DataBufferLimitException.class, ex -> Mono.just(PredictionRouter.error(protocol,
					HttpStatus.CONTENT_TOO_LARGE, "The request body is over " + maxRequestBytes
							+ " bytes (flywheel.router.max-request-size)", null)));
	}

	private static String contentType(ServerHttpRequest http) {
		return http.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
	}

}
