package dev.flywheel.router.routing;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The benchmark's baseline, served in the router's process so that it shares its HTTP stack, JVM and machine (only
 * with {@code flywheel.router.bench-endpoints=true}): {@code POST /bench/forward/v2/models/{name}/infer} forwards the
 * body to the inference service with the same client and answers what it answered, without assignment, records or
 * reading the answer. Against it, the benchmark tells the cost of the second HTTP hop from the cost of the router's
 * own work.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "flywheel.router.bench-endpoints", havingValue = "true")
class BenchForwarding {

	@Bean
	RouterFunction<ServerResponse> forwardingPath(InferenceClient inference) {
		return RouterFunctions.route().POST("/bench/forward/v2/models/{name}/infer", request -> forward(inference,
				request)).build();
	}

	private static Mono<ServerResponse> forward(InferenceClient inference, ServerRequest request) {
		return RoutingApi.bytes(request, Integer.MAX_VALUE)
			.flatMap(body -> inference.post(Protocol.OIP.path(request.pathVariable("name"), null), body,
					request.headers().firstHeader(HttpHeaders.CONTENT_TYPE), null))
			.flatMap(answer -> PredictionRouter.passOn(answer, null))
			.onErrorResume(InferenceUnavailableException.class, ex -> PredictionRouter.unavailable(Protocol.OIP, ex));
	}

}
