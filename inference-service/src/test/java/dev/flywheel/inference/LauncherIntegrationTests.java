package dev.flywheel.inference;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command: {@code ./flywheel up} starts the registry and the inference service once (the
 * inference service following the registry it started), {@code status} reports them, a busy port is named, and
 * {@code down} stops exactly what {@code up} started. It lives in the last module of the build, where every service's
 * jar is packaged.
 */
class LauncherIntegrationTests {

	private static final Path LAUNCHER = Path.of("..", "flywheel").toAbsolutePath().normalize();

	private final Path home = TestDatabases.newHome();

	private int port;

	private int inferencePort;

	@AfterEach
	void stop() throws Exception {
		run("down");
	}

	@Test
	void upStartsEveryServiceOnceAndDownStopsThem() throws Exception {
		port = freePort();
		inferencePort = freePort();
		Result up = run("up");
		assertThat(up.exitCode()).as(up.output()).isZero();
		assertThat(up.output()).contains("registry  http://127.0.0.1:" + port,
				"inference  http://127.0.0.1:" + inferencePort);
		String pid = Files.readString(home.resolve("run/registry.pid")).trim();
		String inferencePid = Files.readString(home.resolve("run/inference.pid")).trim();
		assertThat(ProcessHandle.of(Long.parseLong(pid))).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(Files.readString(home.resolve("logs/inference.log")))
				.contains("Following the registry's events at http://127.0.0.1:" + port));

		Result again = run("up");
		assertThat(again.exitCode()).isZero();
		assertThat(again.output()).contains("registry already runs (pid " + pid + ")",
				"inference already runs (pid " + inferencePid + ")");
		assertThat(run("status").output()).contains("registry  running  healthy", "inference  running  healthy");

		Result down = run("down");
		assertThat(down.output()).contains("registry stopped (pid " + pid + ")",
				"inference stopped (pid " + inferencePid + ")");
		for (String stopped : new String[] { pid, inferencePid }) {
			assertThat(ProcessHandle.of(Long.parseLong(stopped)).map(ProcessHandle::isAlive))
				.isNotEqualTo(java.util.Optional.of(true));
		}
		assertThat(run("status").output()).contains("registry  stopped", "inference  stopped");
	}

	@Test
	void aBusyPortIsNamed() throws Exception {
		try (ServerSocket squatter = new ServerSocket(0)) {
			port = squatter.getLocalPort();
			inferencePort = freePort();
			Result up = run("up");
			assertThat(up.exitCode()).isNotZero();
			assertThat(up.output()).contains("port " + port + " is busy");
		}
	}

	private Result run(String command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", LAUNCHER.toString(), command).redirectErrorStream(true);
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("FLYWHEEL_REGISTRY_PORT", String.valueOf(port));
		builder.environment().put("FLYWHEEL_INFERENCE_PORT", String.valueOf(inferencePort));
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
