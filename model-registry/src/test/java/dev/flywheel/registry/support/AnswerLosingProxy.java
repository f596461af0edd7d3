package dev.flywheel.registry.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A proxy in front of the registry that loses answers: it forwards each request, lets the registry do the work, and
 * for the first {@code losses} requests to a path ending in {@code lossyPath} throws the answer away and replies
 * 503, as a gateway does when the upstream connection breaks after the request was sent. Clients that retry then
 * send the same request again to a registry that already did it.
 */
public final class AnswerLosingProxy implements AutoCloseable {

	private final HttpServer server;

	private final HttpClient upstream = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final AtomicInteger remainingLosses;

	private final AtomicInteger forwarded = new AtomicInteger();

	public AnswerLosingProxy(String target, String lossyPath, int losses) throws IOException {
		this.remainingLosses = new AtomicInteger(losses);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> forward(exchange, target, lossyPath));
		server.start();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** How many requests reached the registry through this proxy. */
	public int forwarded() {
		return forwarded.get();
	}

	private void forward(HttpExchange exchange, String target, String lossyPath) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readAllBytes();
			String path = exchange.getRequestURI().getRawPath();
			String query = exchange.getRequestURI().getRawQuery();
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
				.timeout(Duration.ofSeconds(30))
				.method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			if (contentType != null) {
				request.header("Content-Type", contentType);
			}
			HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			forwarded.incrementAndGet();
			if (path.endsWith(lossyPath) && remainingLosses.getAndDecrement() > 0) {
				reply(exchange, 503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"upstream connection lost\"}"
					.getBytes());
				return;
			}
			reply(exchange, response.statusCode(), response.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reply(exchange, 502, new byte[0]);
		}
	}

	private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
