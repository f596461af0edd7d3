package dev.flywheel.registry.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;

/**
 * When {@code flywheel.security.token} is set, every write (POST, PUT, PATCH, DELETE) needs
 * {@code Authorization: Bearer <token>}, which MLflow clients send from {@code MLFLOW_TRACKING_TOKEN}. Reads stay
 * open, and so do the POSTs that only read (searches and get-latest-versions).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class WriteTokenFilter implements WebFilter {

	private static final Set<String> READ_ONLY_POSTS = Set.of("/experiments/search", "/runs/search",
			"/registered-models/get-latest-versions");

	private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
			HttpMethod.DELETE);

	private final byte[] expected;

	WriteTokenFilter(RegistryProperties properties) {
		this.expected = properties.security().enabled()
				? ("Bearer " + properties.security().token()).getBytes(StandardCharsets.UTF_8) : null;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (expected == null || !isWrite(request)) {
			return chain.filter(exchange);
		}
		String given = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (given != null && MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8))) {
			return chain.filter(exchange);
		}
		return Mono.error(new MlflowException(ErrorCode.UNAUTHENTICATED,
				given == null ? "This registry requires a bearer token for writes: send Authorization: Bearer <token>"
						: "The bearer token is not valid for this registry"));
	}

	private static boolean isWrite(ServerHttpRequest request) {
		if (!WRITES.contains(request.getMethod())) {
			return false;
		}
		String path = request.getPath().pathWithinApplication().value();
		return !(request.getMethod() == HttpMethod.POST && READ_ONLY_POSTS.stream().anyMatch(path::endsWith));
	}

}
