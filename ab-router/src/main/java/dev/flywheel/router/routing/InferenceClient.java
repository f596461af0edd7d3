package dev.flywheel.router.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.stereotype.Component;

import dev.flywheel.router.system.RouterProperties;

/**
 * Calls the inference service ({@code flywheel.inference.url}) over at most {@code flywheel.inference.connections}
 * kept-alive connections, each call bounded by {@code flywheel.inference.timeout}. Reactor Netty's client is used as
 * it is, on the server's event loops: on the router's hot path, Spring's {@code WebClient} cost more than the rest of
 * a routed request together (its header maps, codecs and operators). Any answer the service gives is returned as it
 * is; only a service that cannot be reached or does not answer in time fails, with
 * {@link InferenceUnavailableException}.
 * <p>
 * Each of the server's event loops has a pool of its own (an equal share of the connections, at least one; the calls
 * made off those loops have a share too), whose connections live on that loop: a request is forwarded, and its answer
 * read and written back, by the thread that read it. With one shared pool (Reactor Netty's), a request usually got a
 * connection of another loop and was handed from thread to thread twice (docs/benchmarks.md, "A/B router").
 */
@Component
class InferenceClient implements DisposableBean {

	private static final byte[] EMPTY = new byte[0];

	private final HttpClient http;

	private final List<LoopClient> loopClients = new ArrayList<>();

	private final List<ConnectionProvider> pools = new ArrayList<>();

	private final Duration timeout;

	private final String baseUrl;

	InferenceClient(RouterProperties properties, ObjectProvider<ReactorResourceFactory> resources) {
		this.baseUrl = properties.inference().url().toString().replaceAll("/+$", "");
		this.timeout = properties.inference().timeout();
		int connections = properties.inference().connections();
		ReactorResourceFactory factory = resources.getIfAvailable();
		LoopResources loops = factory == null ? null : factory.getLoopResources();
		if (loops == null) {
			this.http = client(pool("inference", connections));
			return;
		}
		// the server's loops: the group the server runs on (Reactor Netty keeps one per LoopResources)
		List<EventLoop> serverLoops = new ArrayList<>();
		loops.onServer(LoopResources.DEFAULT_NATIVE).forEach(executor -> serverLoops.add((EventLoop) executor));
		// an equal share of the connections for each loop, and one for the calls made off them
		int share = Math.max(1, connections / (serverLoops.size() + 1));
		for (EventLoop loop : serverLoops) {
			loopClients.add(new LoopClient(loop, client(pool("inference-" + loopClients.size(), share)).runOn(loop)));
		}
		this.http = client(pool("inference", share)).runOn(loops);
	}

	private ConnectionProvider pool(String name, int maxConnections) {
		ConnectionProvider pool = ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(timeout)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		pools.add(pool);
		return pool;
	}

	private HttpClient client(ConnectionProvider pool) {
		return HttpClient.create(pool)
			.baseUrl(baseUrl)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
			.responseTimeout(timeout);
	}

	/** The client whose connections live on the calling event loop, or the shared one off the server's loops. */
	private HttpClient http() {
		for (LoopClient loopClient : loopClients) {
			if (loopClient.loop().inEventLoop()) {
				return loopClient.http();
			}
		}
		return http;
	}

	private record LoopClient(EventLoop loop, HttpClient http) {
	}

	/** POSTs {@code body} to {@code path} (with its query), naming the variant in {@code X-Flywheel-Variant}. */
	Mono<InferenceAnswer> post(String path, byte[] body, String contentType, String variant) {
		// headers set on the request itself: HttpClient.headers(...) would copy the client's configuration per call
		return answer(http().post()
			.uri(path)
			.send((request, outbound) -> {
				if (contentType != null) {
					request.header(HttpHeaderNames.CONTENT_TYPE, contentType);
				}
				if (variant != null) {
					request.header(PredictionRouter.VARIANT_HEADER, variant);
				}
				return outbound.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
			}));
	}

	/** GETs {@code path} (with its query). */
	Mono<InferenceAnswer> get(String path) {
		return answer(http().get().uri(path));
	}

	/**
	 * The whole answer to a request; a service that cannot answer is unavailable. Each step is bounded by the
	 * timeout (waiting for a pooled connection, connecting, waiting for the answer and for each of its reads), by
	 * Netty's own timers: a Reactor {@code timeout} operator would add a task to a shared scheduler's queue per
	 * request, a visible cost on the router's hot path.
	 */
	private Mono<InferenceAnswer> answer(HttpClient.ResponseReceiver<?> request) {
		return request.responseSingle((response, content) -> content.asByteArray()
			.defaultIfEmpty(EMPTY)
			.map(bytes -> answer(response, bytes)))
			.onErrorMap(ex -> !(ex instanceof InferenceUnavailableException), this::unavailable);
	}

	private static InferenceAnswer answer(HttpClientResponse response, byte[] body) {
		HttpHeaders headers = response.responseHeaders();
		return new InferenceAnswer(response.status().code(), headers.get(HttpHeaderNames.CONTENT_TYPE),
				headers.get(HttpHeaderNames.RETRY_AFTER), body);
	}

	private InferenceUnavailableException unavailable(Throwable ex) {
		// TimeoutException: no pooled connection came free in time (the pool's exception extends it)
		boolean timedOut = ex instanceof TimeoutException || ex instanceof ReadTimeoutException
				|| ex.getCause() instanceof ReadTimeoutException;
		String message = timedOut ? "The inference service at " + baseUrl + " did not answer within " + timeout
				: "The inference service at " + baseUrl + " cannot be reached (" + rootMessage(ex) + ")";
		return new InferenceUnavailableException(message, timedOut, ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
	}

	@Override
	public void destroy() {
		pools.forEach(ConnectionProvider::dispose);
	}

}
