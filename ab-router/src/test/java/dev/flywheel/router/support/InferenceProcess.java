package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged inference service ({@code inference.jar}, set by the build) run as a separate JVM, as users run it:
 * on a free port, with a home of its own (its bundle cache) and a log file, so a test can kill it with SIGKILL and
 * start it again. Memory is capped as {@code ./flywheel up} caps it, with one BLAS thread.
 */
public final class InferenceProcess implements AutoCloseable {

	/** How long {@link #start} waits for every configured model's champion to be loaded. */
	public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:MaxMetaspaceSize=128m",
			"-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=64m", "-Dorg.bytedeco.javacpp.maxbytes=128m",
			"-Dorg.bytedeco.javacpp.maxphysicalbytes=900m");

	private final ProcessBuilder builder;

	private final int port;

	private final Path home;

	private final Path log;

	private final Thread reaper = new Thread(this::destroyForcibly, "inference-process-reaper");

	private Process process;

	private InferenceProcess(ProcessBuilder builder, int port, Path home, Path log) throws IOException {
		this.builder = builder;
		this.port = port;
		this.home = home;
		this.log = log;
		this.process = builder.start();
		this.process.getOutputStream().close();
		Runtime.getRuntime().addShutdownHook(reaper);
	}

	/**
	 * Starts the service and waits until {@code /v2/health/ready} answers 200 (every model's champion loaded); when it
	 * does not, stops the process and fails with the end of its log.
	 * @param home the service's home ({@code FLYWHEEL_HOME}), created when missing; its log is written there too
	 * @param models the registered models to serve, e.g. {@code "digits"}
	 * @param properties more settings, passed as {@code --key=value} (they win over the defaults of {@link #launch})
	 */
	public static InferenceProcess start(Path home, String registryUrl, String models, Map<String, String> properties)
			throws IOException, InterruptedException {
		InferenceProcess inference = launch(home, registryUrl, models, properties);
		try {
			inference.awaitReady(START_TIMEOUT);
		}
		catch (RuntimeException | Error ex) {
			inference.kill();
			throw ex;
		}
		return inference;
	}

	/**
	 * Starts the service without waiting for it. Defaults suited to tests: registry calls time out after 10 s, the
	 * event stream reconnects after 200 ms and the service reconciles with the registry every 2 s; the prediction log
	 * is off unless {@code flywheel.monitoring.url} is among {@code properties}.
	 */
	public static InferenceProcess launch(Path home, String registryUrl, String models, Map<String, String> properties)
			throws IOException {
		String jar = System.getProperty("inference.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException("inference.jar is not built (" + jar + "): run through 'mvn verify'");
		}
		Files.createDirectories(home);
		int port = freePort();
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("flywheel.registry.url", registryUrl);
		settings.put("flywheel.inference.models", models);
		settings.put("flywheel.registry.timeout", "10s");
		settings.put("flywheel.registry.reconnect-delay", "200ms");
		settings.put("flywheel.registry.poll-interval", "2s");
		settings.put("spring.main.banner-mode", "off");
		if (!properties.containsKey("flywheel.monitoring.url")) {
			settings.put("flywheel.inference.prediction-log.enabled", "false");
		}
		settings.putAll(properties);
		settings.put("server.port", String.valueOf(port)); // the free port found above, whatever properties say
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-jar", jar));
		settings.forEach((key, value) -> command.add("--" + key + "=" + value));
		Path log = Files.createTempFile(home, "inference-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("OMP_NUM_THREADS", "1");
		return new InferenceProcess(builder, port, home, log);
	}

	/**
	 * Waits until {@code /v2/health/ready} answers 200; fails, with the end of the log, when the process exits first
	 * or the time runs out (the process is left running: {@link #start} stops it).
	 */
	public InferenceProcess awaitReady(Duration timeout) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The inference service exited (" + process.exitValue()
						+ ") while starting; " + log + " ends with:\n" + logTail());
			}
			try {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/health/ready"))
							.timeout(Duration.ofSeconds(2))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return this;
				}
				last = response.statusCode() + " " + response.body();
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The inference service was not ready in " + timeout + " (last answer: " + last
				+ "); " + log + " ends with:\n" + logTail());
	}

	/**
	 * Starts the service again, on the same port, home (bundle cache) and settings, after {@link #kill} or
	 * {@link #close}, and waits until it is ready.
	 */
	public void restart() throws IOException, InterruptedException {
		if (process.isAlive()) {
			throw new IllegalStateException("The inference service still runs");
		}
		process = builder.start();
		process.getOutputStream().close();
		awaitReady(START_TIMEOUT);
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	public int port() {
		return port;
	}

	public Path home() {
		return home;
	}

	public Path log() {
		return log;
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	/** SIGKILL: no shutdown hook, no drain, no goodbye. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	/** The last lines of the log (all runs of this process, restarts included). */
	public String logTail() {
		try {
			List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void destroyForcibly() {
		process.destroyForcibly();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Stops the service gracefully (SIGTERM), or with SIGKILL after 15 s. */
	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) {
			process.destroy();
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				kill();
			}
		}
		try {
			Runtime.getRuntime().removeShutdownHook(reaper);
		}
		catch (IllegalStateException exiting) {
			// the JVM is already shutting down: the hook runs anyway
		}
	}

}
