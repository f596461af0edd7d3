package dev.flywheel.router.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A second benchmark baseline (only with {@code flywheel.router.bench-endpoints=true}): the same forwarding as
 * {@link BenchForwarding}, served by a bare Reactor Netty server on a port of its own (logged at start) instead of
 * WebFlux. Against the WebFlux baseline, it tells what the web framework costs the second hop, which bounds what a
 * router written on bare Netty could keep of the direct throughput.
 */
@Component
@ConditionalOnProperty(name = "flywheel.router.bench-endpoints", havingValue = "true")
public class RawForwarding implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RawForwarding.class);

	private final InferenceClient inference;

	private volatile DisposableServer server;

	RawForwarding(InferenceClient inference) {
		this.inference = inference;
	}

	@Override
	public void start() {
		server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.post("/bench/forward/v2/models/{name}/infer", (request, response) -> request
				.receive()
				.aggregate()
				.asByteArray()
				.flatMap(body -> inference.post(Protocol.OIP.path(request.param("name"), null), body,
						request.requestHeaders().get("Content-Type"), null))
				.flatMap(answer -> response.status(answer.status())
					.header("Content-Type", answer.contentType() == null ? "application/json" : answer.contentType())
					.sendByteArray(Mono.just(answer.body()))
					.then())
				.onErrorResume(InferenceUnavailableException.class,
						ex -> response.status(503).sendString(Mono.just("{\"error\":\"unavailable\"}")).then())))
			.bindNow();
		logger.info("Raw forwarding baseline listening on port {}", server.port());
	}

	@Override
	public void stop() {
		if (server != null) {
			server.disposeNow();
			server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return server != null;
	}

	public int port() {
		return server.port();
	}

}
