package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./flywheel} as a user does, with its own FLYWHEEL_HOME and free ports, and gives back its exit code
 * and output (standard output and error together).
 */
final class Launcher {

	static final Path SCRIPT = Repository.file("flywheel");

	private final Map<String, String> environment = new LinkedHashMap<>();

	Launcher(Path home) {
		environment.put("FLYWHEEL_HOME", home.toString());
		for (String service : List.of("REGISTRY", "INFERENCE", "ROUTER", "MONITORING")) {
			environment.put("FLYWHEEL_" + service + "_PORT", String.valueOf(freePort()));
		}
	}

	record Result(int exitCode, String output) {
	}

	int port(String service) {
		return Integer.parseInt(environment.get("FLYWHEEL_" + service.toUpperCase() + "_PORT"));
	}

	String url(String service) {
		return "http://127.0.0.1:" + port(service);
	}

	Launcher with(String variable, String value) {
		environment.put(variable, value);
		return this;
	}

	Result run(String... command) {
		return run(Map.of(), command);
	}

	/** Runs the launcher with {@code extra} environment variables (e.g. another PATH). */
	Result run(Map<String, String> extra, String... command) {
		List<String> line = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
		line.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
		builder.environment().putAll(environment);
		builder.environment().putAll(extra);
		try {
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new AssertionError("./flywheel " + String.join(" ", command) + " did not end: " + output);
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
