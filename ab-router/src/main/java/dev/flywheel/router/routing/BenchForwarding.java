package dev.flywheel.router.routing;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The benchmark's baselines, served in the router's process so that they share its port, JVM and machine (only with
 * {@code flywheel.router.bench-endpoints=true}). Both forward the body to the inference service with the router's
 * client and answer what it answered, without assignment, records or reading the answer:
 * <ul>
 * <li>{@code POST /bench/forward/netty/v2/models/{name}/infer}: on Reactor Netty, as the prediction paths are; against
 * it, the benchmark tells the cost of the second HTTP hop from the cost of the router's own work;</li>
 * <li>{@code POST /bench/forward/webflux/v2/models/{name}/infer}: the same forwarding as a WebFlux functional endpoint,
 * the naive design, which tells what the web framework would cost the hop.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "flywheel.router.bench-endpoints", havingValue = "true")
class BenchForwarding {

	@Bean
	NettyRouteProvider nettyForwardingPath(InferenceClient inference) {
		return routes -> routes.post("/bench/forward/netty/v2/models/{name}/infer",
				(request, response) -> PredictionPaths.answer(response, Protocol.OIP,
						RequestBodies.read(request, Integer.MAX_VALUE)
							.flatMap(body -> forward(inference, request.param("name"), body,
									request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE)))));
	}

	@Bean
	RouterFunction<ServerResponse> webFluxForwardingPath(InferenceClient inference) {
		return RouterFunctions.route()
			.POST("/bench/forward/webflux/v2/models/{name}/infer", request -> forwardOnWebFlux(inference, request))
			.build();
	}

	private static Mono<ServerResponse> forwardOnWebFlux(InferenceClient inference, ServerRequest request) {
		return DataBufferUtils.join(request.exchange().getRequest().getBody()).map(buffer -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		})
			.flatMap(body -> forward(inference, request.pathVariable("name"), body,
					request.headers().firstHeader(HttpHeaders.CONTENT_TYPE)))
			.flatMap(answer -> {
				ServerResponse.BodyBuilder response = ServerResponse.status(answer.status());
				if (answer.contentType() != null) {
					response.header(HttpHeaders.CONTENT_TYPE, answer.contentType());
				}
				return response.bodyValue(answer.body());
			});
	}

	private static Mono<RoutedAnswer> forward(InferenceClient inference, String model, byte[] body,
			String contentType) {
		return inference.post(Protocol.OIP.path(model, null), body, contentType, null)
			.map(answer -> RoutedAnswer.passOn(answer, null))
			.onErrorResume(InferenceUnavailableException.class,
					ex -> Mono.just(RoutedAnswer.unavailable(Protocol.OIP, ex)));
	}

}
