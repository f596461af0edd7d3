package dev.flywheel.monitoring.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A packaged Flywheel service (its jar, named by a system property the build sets) run as a separate JVM, as users run
 * it: on a free port, with a home of its own and a log file, ready once a path answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private ServiceProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar of system property {@code jarProperty} with {@code --key=value} for each property, and waits until
	 * {@code readyPath} answers 200.
	 */
	public static ServiceProcess start(String jarProperty, Path home, List<String> jvmOptions,
			Map<String, String> properties, String readyPath, Duration timeout) throws Exception {
		String jar = System.getProperty(jarProperty);
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException(jarProperty + " is not built (" + jar + "): run through 'mvn verify'");
		}
		Files.createDirectories(home);
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString()));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar, "--server.port=" + port, "--spring.main.banner-mode=off"));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Path log = home.resolve("service.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("OMP_NUM_THREADS", "1");
		ServiceProcess service = new ServiceProcess(builder.start(), port, log);
		Runtime.getRuntime().addShutdownHook(new Thread(service.process::destroyForcibly));
		try {
			service.awaitReady(readyPath, timeout);
		}
		catch (RuntimeException | Error ex) {
			service.close();
			throw ex;
		}
		return service;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	private void awaitReady(String path, Duration timeout) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The service exited (" + process.exitValue() + "); its log ends with:\n"
						+ logTail());
			}
			try {
				HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(path + " did not answer 200 within " + timeout + "; the log ends with:\n"
				+ logTail());
	}

	/** The last lines of the service's log. */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
