package dev.flywheel.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

import dev.flywheel.router.assignment.UnitKeys;
import dev.flywheel.router.system.RouterProperties;

/**
 * The inference service's paths on the router's port: the three prediction APIs, routed by {@link PredictionRouter},
 * and the read-only ones (health, metadata, readiness, {@code /ping}, {@code /version}) passed through as they are, so
 * that an OIP or MLflow client pointed at the router works unchanged. They are Reactor Netty routes, matched before
 * the requests reach WebFlux (which serves the router's own APIs): on the router's hot path, WebFlux's exchange,
 * header maps and response building cost a third of the router's throughput (docs/benchmarks.md, "A/B router").
 */
@Component
class PredictionPaths implements NettyRouteProvider {

	private static final Logger logger = LoggerFactory.getLogger(PredictionPaths.class);

	static final List<String> READ_ONLY_PATHS = List.of("/v2", "/v2/health/{probe}", "/v2/models/{name}",
			"/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}",
			"/v2/models/{name}/versions/{version}/ready", "/ping", "/version", "/v1/models", "/v1/models/{name}");

	private final PredictionRouter router;

	private final InferenceClient inference;

	private final List<String> servedModels;

	private final int maxRequestBytes;

	PredictionPaths(PredictionRouter router, InferenceClient inference, RouterProperties properties) {
		this.router = router;
		this.inference = inference;
		this.servedModels = properties.inference().models();
		this.maxRequestBytes = (int) Math.min(Integer.MAX_VALUE, properties.router().maxRequestSize().toBytes());
	}

	@Override
	public HttpServerRoutes apply(HttpServerRoutes routes) {
		routes.post("/v2/models/{name}/infer", (request, response) -> answer(response, Protocol.OIP,
				infer(request, null)))
			.post("/v2/models/{name}/versions/{version}/infer", (request, response) -> answer(response, Protocol.OIP,
					infer(request, pathParameter(request, "version"))))
			.post("/v1/models/{name}:predict", (request, response) -> answer(response, Protocol.PLAIN,
					predict(request)))
			.post("/invocations", (request, response) -> answer(response, Protocol.SCORING, invocations(request)));
		for (String path : READ_ONLY_PATHS) {
			Protocol protocol = path.startsWith("/v2") ? Protocol.OIP
					: path.startsWith("/v1") ? Protocol.PLAIN : Protocol.SCORING;
			routes.get(path, (request, response) -> answer(response, protocol, read(protocol, request)));
		}
		return routes;
	}

	private Mono<RoutedAnswer> infer(HttpServerRequest request, String version) {
		String name = pathParameter(request, "name");
		return withBody(Protocol.OIP, request,
				body -> router.route(Protocol.OIP, name, version, unit(request), contentType(request), body));
	}

	private Mono<RoutedAnswer> predict(HttpServerRequest request) {
		String name = pathParameter(request, "name");
		String version = queryParameter(request, "version");
		return withBody(Protocol.PLAIN, request,
				body -> router.route(Protocol.PLAIN, name, version, unit(request), contentType(request), body));
	}

	private Mono<RoutedAnswer> invocations(HttpServerRequest request) {
		String model = queryParameter(request, "model");
		String name = model != null && !model.isBlank() ? model
				: servedModels.size() == 1 ? servedModels.get(0) : null;
		String version = queryParameter(request, "version");
		return withBody(Protocol.SCORING, request,
				body -> router.route(Protocol.SCORING, name, version, unit(request), contentType(request), body));
	}

	private Mono<RoutedAnswer> read(Protocol protocol, HttpServerRequest request) {
		return inference.get(request.uri())
			.map(answer -> RoutedAnswer.passOn(answer, null))
			.onErrorResume(InferenceUnavailableException.class,
					ex -> Mono.just(RoutedAnswer.unavailable(protocol, ex)));
	}

	private Mono<RoutedAnswer> withBody(Protocol protocol, HttpServerRequest request,
			Function<byte[], Mono<RoutedAnswer>> route) {
		return RequestBodies.read(request, maxRequestBytes)
			.flatMap(route)
			.onErrorResume(RequestBodies.TooLargeException.class, ex -> Mono.just(RoutedAnswer.error(protocol, 413,
					"The request body is over " + maxRequestBytes + " bytes (flywheel.router.max-request-size)",
					null)));
	}

	/** Writes the answer; a failure of the router's own is answered 500 in the protocol's format, and logged. */
	static Publisher<Void> answer(HttpServerResponse response, Protocol protocol, Mono<RoutedAnswer> answer) {
		return answer.onErrorResume(ex -> {
			logger.error("A prediction request failed in the router", ex);
			return Mono.just(RoutedAnswer.error(protocol, 500, "The router failed: " + ex, null));
		}).flatMap(routed -> send(response, routed));
	}

	private static Mono<Void> send(HttpServerResponse response, RoutedAnswer answer) {
		HttpHeaders headers = response.status(answer.status()).responseHeaders();
		if (answer.contentType() != null) {
			headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
		}
		if (answer.retryAfter() != null) {
			headers.set(HttpHeaderNames.RETRY_AFTER, answer.retryAfter());
		}
		Route route = answer.route();
		if (route != null) {
			headers.set(PredictionRouter.VARIANT_HEADER, route.variant());
			headers.set(PredictionRouter.TEST_HEADER, route.test().id());
			// the unit key (a random one is how a client without a key learns it), when it can be a header value:
			// printable ASCII, as an OIP parameter need not be
			String unit = route.unit().value();
			if (unit.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
				headers.set(UnitKeys.HEADER, unit);
			}
		}
		return response.send(Mono.just(Unpooled.wrappedBuffer(answer.body()))).then();
	}

	/** A path parameter, percent-decoded as WebFlux would. */
	private static String pathParameter(HttpServerRequest request, String name) {
		String value = request.param(name);
		return value == null || value.indexOf('%') < 0 ? value : UriUtils.decode(value, StandardCharsets.UTF_8);
	}

	/** A query parameter's first value, or null. */
	static String queryParameter(HttpServerRequest request, String name) {
		String uri = request.uri();
		if (uri.indexOf('?') < 0) {
			return null;
		}
		Map<String, List<String>> parameters = new QueryStringDecoder(uri).parameters();
		List<String> values = parameters.get(name);
		return values == null || values.isEmpty() ? null : values.get(0);
	}

	private static String unit(HttpServerRequest request) {
		return request.requestHeaders().get(UnitKeys.HEADER);
	}

	private static String contentType(HttpServerRequest request) {
		return request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
	}

}
