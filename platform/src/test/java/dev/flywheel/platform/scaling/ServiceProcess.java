package dev.flywheel.platform.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One replica of a Flywheel service run from its packaged jar as a JVM of its own, on a port of its own, with its own
 * home and log: started, awaited until ready, killed with SIGKILL, started again on the same port and settings.
 */
final class ServiceProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String name;

	private final ProcessBuilder builder;

	private final int port;

	private final String readiness;

	private final Path log;

	private volatile Process process;

	/**
	 * @param name for messages, e.g. {@code "router-2"}
	 * @param jar the service's executable jar
	 * @param jvmOptions options before {@code -jar}
	 * @param settings passed as {@code --key=value}; {@code server.port} is set here
	 * @param readiness the path that answers 200 once the replica can serve
	 */
	ServiceProcess(String name, Path jar, List<String> jvmOptions, Map<String, String> settings, String readiness,
			Path home) throws IOException {
		this(name, jar, jvmOptions, settings, readiness, home, Ports.free());
	}

	/** A replica on {@code port}, chosen beforehand (for a balancer made before the replica). */
	ServiceProcess(String name, Path jar, List<String> jvmOptions, Map<String, String> settings, String readiness,
			Path home, int port) throws IOException {
		this.name = name;
		this.port = port;
		this.readiness = readiness;
		Files.createDirectories(home);
		this.log = home.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		settings.forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--server.port=" + port);
		command.add("--spring.main.banner-mode=off");
		this.builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("OMP_NUM_THREADS", "1");
		// a test JVM that ends without closing (killed, timed out) takes its replicas with it
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			if (process != null) {
				process.destroyForcibly();
			}
		}, name + "-reaper"));
	}

	/** Starts the JVM without waiting for it. */
	ServiceProcess launch() {
		if (process != null && process.isAlive()) {
			throw new IllegalStateException(name + " already runs");
		}
		try {
			process = builder.start();
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name, ex);
		}
		return this;
	}

	/** Waits until the readiness path answers 200; fails with the end of the log if the JVM exits first or never does. */
	ServiceProcess awaitReady() throws InterruptedException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited (" + process.exitValue() + ") while starting; " + log
						+ " ends with:\n" + logTail());
			}
			try {
				HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + readiness))
					.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return this;
				}
				last = response.statusCode() + " " + response.body();
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(name + " was not ready in " + START_TIMEOUT + " (last answer: " + last + "); "
				+ log + " ends with:\n" + logTail());
	}

	/** SIGKILL: the JVM gets no chance to finish anything. */
	void kill() throws InterruptedException {
		if (process != null && process.isAlive()) {
			process.destroyForcibly();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	String url() {
		return "http://127.0.0.1:" + port;
	}

	int port() {
		return port;
	}

	String name() {
		return name;
	}

	String logTail() {
		return lastLines(line -> true, 40);
	}

	/** The last lines of the log at Spring Boot's WARN or ERROR level: what a failed assertion shows of a replica. */
	String warnings() {
		return lastLines(line -> line.contains(" WARN ") || line.contains(" ERROR "), 20);
	}

	private String lastLines(Predicate<String> which, int count) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(which).toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
		}
		catch (IOException ex) {
			return "(cannot read " + log + ": " + ex + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (process != null && process.isAlive()) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

}
