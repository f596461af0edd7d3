package dev.flywheel.inference.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A reverse proxy in front of the registry that passes every call through except the event stream, which it refuses
 * with 503: a service pointed at it can only learn of changes by polling.
 */
public final class RegistryProxy implements AutoCloseable {

	private static final String EVENTS = "/api/2.0/flywheel/events";

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
			"transfer-encoding", "keep-alive");

	private final String target;

	private final HttpServer server;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
		Thread thread = new Thread(runnable, "registry-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicInteger refusedEventStreams = new AtomicInteger();

	private final AtomicInteger forwarded = new AtomicInteger();

	private RegistryProxy(String target) throws IOException {
		this.target = target.replaceAll("/+$", "");
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", this::handle);
		server.setExecutor(executor);
		server.start();
	}

	/** A proxy to the registry at {@code registryUrl} without its event stream. */
	public static RegistryProxy withoutEvents(String registryUrl) throws IOException {
		return new RegistryProxy(registryUrl);
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** How often a client asked for the event stream and was refused. */
	public int refusedEventStreams() {
		return refusedEventStreams.get();
	}

	/** How many other calls were passed through. */
	public int forwarded() {
		return forwarded.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			URI uri = exchange.getRequestURI();
			if (uri.getPath().startsWith(EVENTS)) {
				refusedEventStreams.incrementAndGet();
				exchange.sendResponseHeaders(503, -1);
				return;
			}
			byte[] body = in.readAllBytes();
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
					+ (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
				.timeout(Duration.ofSeconds(30))
				.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofByteArray(body));
			exchange.getRequestHeaders().forEach((name, values) -> {
				if (!HOP_BY_HOP.contains(name.toLowerCase())) {
					values.forEach(value -> request.header(name, value));
				}
			});
			HttpResponse<byte[]> response;
			try {
				response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (IOException ex) {
				exchange.sendResponseHeaders(502, -1);
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				exchange.sendResponseHeaders(502, -1);
				return;
			}
			forwarded.incrementAndGet();
			response.headers().map().forEach((name, values) -> {
				if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
					exchange.getResponseHeaders().put(name, List.copyOf(values));
				}
			});
			byte[] answer = response.body();
			exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
			if (answer.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			}
		}
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}

}
