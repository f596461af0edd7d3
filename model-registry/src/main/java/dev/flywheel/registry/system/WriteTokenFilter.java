package dev.flywheel.registry.system;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.support.ManagementToken;

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

	private final ManagementToken token;

	WriteTokenFilter(ManagementToken token) {
		this.token = token;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		ManagementToken.Check check = isWrite(request) ? token.check(request) : ManagementToken.Check.ACCEPTED;
		return switch (check) {
			case ACCEPTED -> chain.filter(exchange);
			case MISSING -> Mono.error(new MlflowException(ErrorCode.UNAUTHENTICATED,
					"This registry requires a bearer token for writes: send Authorization: Bearer <token>"));
			case INVALID -> Mono.error(new MlflowException(ErrorCode.UNAUTHENTICATED,
					"The bearer token is not valid for this registry"));
		};
	}

	private static boolean isWrite(ServerHttpRequest request) {
		if (!WRITES.contains(request.getMethod())) {
			return false;
		}
		String path = request.getPath().pathWithinApplication().value();
		return !(request.getMethod() == HttpMethod.POST && READ_ONLY_POSTS.stream().anyMatch(path::endsWith));
	}

}
