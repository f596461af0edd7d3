package dev.flywheel.inference.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stands in for monitoring's {@code POST /api/v1/predictions} on a free loopback port: keeps every body it receives,
 * and can answer slowly ({@link #delay}) or hold its answers until released ({@link #hold}).
 */
public final class MonitoringStub implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
		Thread thread = new Thread(runnable, "monitoring-stub");
		thread.setDaemon(true);
		return thread;
	});

	private final List<JsonNode> posts = new CopyOnWriteArrayList<>();

	private volatile Duration delay = Duration.ZERO;

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private MonitoringStub() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/api/v1/predictions", this::handle);
		server.setExecutor(executor);
		server.start();
	}

	public static MonitoringStub start() throws IOException {
		return new MonitoringStub();
	}

	/** The base URL to give the service as {@code flywheel.monitoring.url}. */
	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** A monitoring URL nothing listens on: every post is refused at connect. */
	public static String unreachableUrl() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
	}

	/** Answers every post only after {@code delay}. */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Holds every answer until {@link #release} (at most 30 s). */
	public void hold() {
		gate = new CountDownLatch(1);
	}

	public void release() {
		gate.countDown();
	}

	/** The bodies received, in order. */
	public List<JsonNode> posts() {
		return List.copyOf(posts);
	}

	/** Every row of every body received, in order, each as one flat record (see {@link #rows(JsonNode)}). */
	public List<JsonNode> rows() {
		List<JsonNode> rows = new ArrayList<>();
		posts.forEach(post -> rows.addAll(rows(post)));
		return rows;
	}

	/**
	 * The rows of one body, unfolded from its per-request records (rows in columns) into one record per row:
	 * {@code prediction_id, model, version, variant?, timestamp, latency_ms, features {name: value}, outputs {label,
	 * probabilities {class: p}} or {value}}. Fails when a record's columns do not all hold one value per prediction id.
	 */
	public static List<JsonNode> rows(JsonNode post) {
		List<JsonNode> rows = new ArrayList<>();
		for (JsonNode record : post.get("predictions")) {
			JsonNode ids = record.get("prediction_ids");
			for (int row = 0; row < ids.size(); row++) {
				ObjectNode flat = JSON.createObjectNode();
				flat.set("prediction_id", ids.get(row));
				for (String field : List.of("model", "version", "variant", "timestamp", "latency_ms")) {
					if (record.has(field)) {
						flat.set(field, record.get(field));
					}
				}
				flat.set("features", cell(record.get("features"), row, ids.size()));
				JsonNode outputs = record.get("outputs");
				ObjectNode flatOutputs = flat.putObject("outputs");
				if (outputs.has("label")) {
					flatOutputs.set("label", cell(outputs.get("label"), row, ids.size()));
					flatOutputs.set("probabilities", cell(outputs.get("probabilities"), row, ids.size()));
				}
				else {
					flatOutputs.set("value", cell(outputs.get("values"), row, ids.size()));
				}
				rows.add(flat);
			}
		}
		return rows;
	}

	/** Row {@code row} of a column, or of each column of an object of columns. */
	private static JsonNode cell(JsonNode columns, int row, int rows) {
		if (columns.isArray()) {
			if (columns.size() != rows) {
				throw new AssertionError("a column of " + columns.size() + " values for " + rows + " prediction ids");
			}
			return columns.get(row);
		}
		ObjectNode cells = JSON.createObjectNode();
		columns.properties().forEach(column -> cells.set(column.getKey(), cell(column.getValue(), row, rows)));
		return cells;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			if (!exchange.getRequestMethod().equals("POST")
					|| !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			posts.add(JSON.readTree(body.readAllBytes()));
			try {
				gate.await(30, TimeUnit.SECONDS);
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.sendResponseHeaders(202, -1);
		}
	}

	@Override
	public void close() {
		release();
		server.stop(0);
		executor.shutdownNow();
	}

}
