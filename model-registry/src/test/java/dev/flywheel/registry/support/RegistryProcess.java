package dev.flywheel.registry.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged registry ({@code registry.jar}, set by the build) run as a separate JVM, so a test can kill it with
 * SIGKILL and start it again on the same database.
 */
public final class RegistryProcess implements AutoCloseable {

	private final ProcessBuilder builder;

	private final int port;

	private final Path log;

	private Process process;

	private RegistryProcess(ProcessBuilder builder, int port, Path log) throws IOException {
		this.builder = builder;
		this.port = port;
		this.log = log;
		this.process = builder.start();
	}

	public static RegistryProcess start(Path home, Map<String, String> environment, String... arguments)
			throws IOException, InterruptedException {
		String jar = System.getProperty("registry.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException("registry.jar is not built (" + jar + "): run through 'mvn verify'");
		}
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", jar, "--server.port=" + port));
		command.addAll(List.of(arguments));
		Path log = Files.createTempFile(home, "registry-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().putAll(environment);
		RegistryProcess registry = new RegistryProcess(builder, port, log);
		registry.awaitReady(Duration.ofSeconds(90));
		return registry;
	}

	/** Starts the registry again, on the same port, home and database, after {@link #kill} or {@link #close}. */
	public void restart() throws IOException, InterruptedException {
		if (process.isAlive()) {
			throw new IllegalStateException("The registry still runs");
		}
		process = builder.start();
		awaitReady(Duration.ofSeconds(90));
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	/** SIGKILL: no shutdown hook, no flush, no goodbye. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
	}

	private void awaitReady(Duration timeout) throws InterruptedException, IOException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The registry exited while starting:\n" + Files.readString(log));
			}
			try {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
							.timeout(Duration.ofSeconds(2))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The registry did not become ready in " + timeout + ":\n" + Files.readString(log));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) {
			process.destroy();
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

}
