package dev.flywheel.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Hands database results back to the event loop of the connection that asked for them. Answers completed from a
 * database thread left Reactor Netty's keep-alive handling waiting now and then to read the connection's next request
 * (up to seconds under load, with the server idle); answers completed on the connection's own event loop do not. In
 * the inference service it also sends the inference thread straight back to computing instead of encoding and writing
 * responses. Not a {@code @Component}: each service registers it with {@code @Import(EventLoopAffinity.class)}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class EventLoopAffinity implements WebFilter {

	private static final String KEY = EventLoopAffinity.class.getName();

	private static final Map<Executor, Scheduler> SCHEDULERS = new ConcurrentHashMap<>();

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof Connection connection) {
			Scheduler loop = SCHEDULERS.computeIfAbsent(connection.channel().eventLoop(),
					executor -> Schedulers.fromExecutor(executor));
			return chain.filter(exchange).contextWrite(context -> context.putAll(onLoop(loop).readOnly()));
		}
		return chain.filter(exchange);
	}

	/** Moves {@code mono}'s signals to the calling request's event loop, when there is one. */
	public static <T> Mono<T> backToEventLoop(Mono<T> mono) {
		return Mono.deferContextual(context -> context.<Scheduler>getOrEmpty(KEY).map(mono::publishOn).orElse(mono));
	}

	/** The context of a request served on {@code loop}. */
	public static Context onLoop(Scheduler loop) {
		return Context.of(KEY, loop);
	}

}
