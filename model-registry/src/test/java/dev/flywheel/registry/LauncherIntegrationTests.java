package dev.flywheel.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: {@code ./flywheel up} starts the registry once, {@code status} reports it, a busy port
 * is named, and {@code down} stops exactly what {@code up} started.
 */
class LauncherIntegrationTests {

	private static final Path LAUNCHER = Path.of("..", "flywheel").toAbsolutePath().normalize();

	private final Path home = TestDatabases.newHome();

	private int port;

	@AfterEach
	void stop() throws Exception {
		run("down");
	}

	@Test
	void upStartsTheRegistryOnceAndDownStopsIt() throws Exception {
		port = freePort();
		Result up = run("up");
		assertThat(up.exitCode()).as(up.output()).isZero();
		assertThat(up.output()).contains("registry  http://127.0.0.1:" + port);
		String pid = Files.readString(home.resolve("run/registry.pid")).trim();
		assertThat(ProcessHandle.of(Long.parseLong(pid))).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

		Result again = run("up");
		assertThat(again.exitCode()).isZero();
		assertThat(again.output()).contains("registry already runs (pid " + pid + ")");
		assertThat(run("status").output()).contains("registry  running  healthy");

		Result down = run("down");
		assertThat(down.output()).contains("registry stopped (pid " + pid + ")");
		assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).isNotEqualTo(
				java.util.Optional.of(true));
		assertThat(run("status").output()).contains("registry  stopped");
	}

	@Test
	void aBusyPortIsNamed() throws Exception {
		try (ServerSocket squatter = new ServerSocket(0)) {
			port = squatter.getLocalPort();
			Result up = run("up");
			assertThat(up.exitCode()).isNotZero();
			assertThat(up.output()).contains("port " + port + " is busy");
		}
	}

	private Result run(String command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", LAUNCHER.toString(), command).redirectErrorStream(true);
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("FLYWHEEL_REGISTRY_PORT", String.valueOf(port));
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(150, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		return new Result(process.exitValue(), output);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	record Result(int exitCode, String output) {
	}

}
