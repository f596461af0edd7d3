package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * Stands in for the monitoring service, which is not built yet: takes {@code POST /api/v1/feedback} and keeps each
 * event it received, answering 200 (or 503 while {@link #failing} is set).
 */
public final class MonitoringStub implements AutoCloseable {

	private final HttpServer server;

	private final List<JsonNode> feedback = new CopyOnWriteArrayList<>();

	private volatile boolean failing;

	private MonitoringStub(HttpServer server) {
		this.server = server;
	}

	public static MonitoringStub start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			MonitoringStub stub = new MonitoringStub(server);
			server.createContext("/api/v1/feedback", exchange -> {
				byte[] body = exchange.getRequestBody().readAllBytes();
				int status = stub.failing ? 503 : 200;
				if (!stub.failing) {
					RouterCalls.JSON.readTree(body).path("feedback").forEach(stub.feedback::add);
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			server.start();
			return stub;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Every feedback event received so far. */
	public List<JsonNode> feedback() {
		return List.copyOf(feedback);
	}

	public void failing(boolean failing) {
		this.failing = failing;
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
