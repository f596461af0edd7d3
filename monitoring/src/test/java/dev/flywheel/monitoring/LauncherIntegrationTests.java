package dev.flywheel.monitoring;

import java.io.IOException;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command: {@code ./flywheel up} starts the registry, monitoring, the inference service and the A/B
 * router once (each given the others' addresses), {@code status} reports them, {@code retrain} asks monitoring for a
 * retraining, a busy port is named, and {@code down} stops exactly what {@code up} started. It lives in monitoring's
 * module because that module is built last: every service's jar (the others' through the build-order dependencies
 * in this module's pom) is packaged before its integration tests run.
 */
class LauncherIntegrationTests {

	private static final Path LAUNCHER = Path.of("..", "flywheel").toAbsolutePath().normalize();

	private final Path home = TestDatabases.newHome();

	private int port;

	private int inferencePort;

	private int routerPort;

	private int monitoringPort;

	@AfterEach
	void stop() throws Exception {
		run("down");
	}

	@Test
	void upStartsEveryServiceOnceAndDownStopsThem() throws Exception {
		port = freePort();
		inferencePort = freePort();
		routerPort = freePort();
		monitoringPort = freePort();
		Result up = run("up");
		assertThat(up.exitCode()).as(up.output()).isZero();
		assertThat(up.output()).contains("registry  http://127.0.0.1:" + port,
				"monitoring  http://127.0.0.1:" + monitoringPort, "inference  http://127.0.0.1:" + inferencePort,
				"router  http://127.0.0.1:" + routerPort);
		String pid = Files.readString(home.resolve("run/registry.pid")).trim();
		String monitoringPid = Files.readString(home.resolve("run/monitoring.pid")).trim();
		String inferencePid = Files.readString(home.resolve("run/inference.pid")).trim();
		String routerPid = Files.readString(home.resolve("run/router.pid")).trim();
		for (String started : new String[] { pid, monitoringPid, inferencePid, routerPid }) {
			assertThat(ProcessHandle.of(Long.parseLong(started)))
				.hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(Files.readString(home.resolve("logs/inference.log")))
				.contains("Following the registry's events at http://127.0.0.1:" + port));
		// the router was given the registry and the inference service 'up' started, and keeps its data under the home
		assertThat(ProcessHandle.of(Long.parseLong(routerPid)).flatMap(p -> p.info().arguments()))
			.hasValueSatisfying(arguments -> assertThat(arguments).contains("--server.port=" + routerPort,
					"--flywheel.registry.url=http://127.0.0.1:" + port,
					"--flywheel.inference.url=http://127.0.0.1:" + inferencePort,
					"--flywheel.monitoring.url=http://127.0.0.1:" + monitoringPort));
		assertThat(ProcessHandle.of(Long.parseLong(monitoringPid)).flatMap(p -> p.info().arguments()))
			.hasValueSatisfying(arguments -> assertThat(arguments).contains("--server.port=" + monitoringPort,
					"--flywheel.registry.url=http://127.0.0.1:" + port,
					"--flywheel.router.url=http://127.0.0.1:" + routerPort));
		assertThat(home.resolve("router")).isDirectory();
		assertThat(home.resolve("monitoring")).isDirectory();
		assertThat(get(routerPort, "/actuator/health")).contains("\"status\":\"UP\"");
		assertThat(home.resolve("logs/router.log")).isNotEmptyFile();

		// retraining on demand from the command line: the job is taken (and fails, for want of a champion to retrain
		// from); a second one while the first is there, or in its cool-down, is refused, saying why
		Result retrain = run("retrain", "iris-species");
		assertThat(retrain.exitCode()).as(retrain.output()).isZero();
		assertThat(retrain.output()).contains("\"reason\":\"manual\"", "/api/v1/retraining/jobs?model=iris-species");
		Result refused = run("retrain", "iris-species");
		assertThat(refused.exitCode()).as(refused.output()).isNotZero();
		assertThat(refused.output()).contains("No retraining of 'iris-species' was launched", "HTTP 409");

		Result again = run("up");
		assertThat(again.exitCode()).isZero();
		assertThat(again.output()).contains("registry already runs (pid " + pid + ")",
				"monitoring already runs (pid " + monitoringPid + ")",
				"inference already runs (pid " + inferencePid + ")", "router already runs (pid " + routerPid + ")");
		assertThat(run("status").output()).contains("registry  running  healthy", "monitoring  running  healthy",
				"inference  running  healthy", "router  running  healthy");

		Result down = run("down");
		assertThat(down.output()).contains("registry stopped (pid " + pid + ")",
				"monitoring stopped (pid " + monitoringPid + ")",
				"inference stopped (pid " + inferencePid + ")", "router stopped (pid " + routerPid + ")");
		// in the reverse of the start order: the router first, the registry last
		assertThat(down.output().indexOf("router stopped")).isLessThan(down.output().indexOf("inference stopped"));
		assertThat(down.output().indexOf("inference stopped")).isLessThan(down.output().indexOf("monitoring stopped"));
		assertThat(down.output().indexOf("monitoring stopped")).isLessThan(down.output().indexOf("registry stopped"));
		for (String stopped : new String[] { pid, monitoringPid, inferencePid, routerPid }) {
			assertThat(ProcessHandle.of(Long.parseLong(stopped)).map(ProcessHandle::isAlive))
				.isNotEqualTo(java.util.Optional.of(true));
		}
		assertThat(run("status").output()).contains("registry  stopped", "monitoring  stopped", "inference  stopped",
				"router  stopped");
		assertThat(home.resolve("run/router.pid")).doesNotExist();
	}

	@Test
	void aBusyPortIsNamed() throws Exception {
		try (ServerSocket squatter = new ServerSocket(0)) {
			port = squatter.getLocalPort();
			inferencePort = freePort();
			routerPort = freePort();
			monitoringPort = freePort();
			Result up = run("up");
			assertThat(up.exitCode()).isNotZero();
			assertThat(up.output()).contains("port " + port + " is busy");
		}
	}

	private Result run(String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
		line.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
		builder.environment().put("FLYWHEEL_HOME", home.toString());
		builder.environment().put("FLYWHEEL_REGISTRY_PORT", String.valueOf(port));
		builder.environment().put("FLYWHEEL_INFERENCE_PORT", String.valueOf(inferencePort));
		builder.environment().put("FLYWHEEL_ROUTER_PORT", String.valueOf(routerPort));
		builder.environment().put("FLYWHEEL_MONITORING_PORT", String.valueOf(monitoringPort));
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(150, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		return new Result(process.exitValue(), output);
	}

	private static String get(int port, String path) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	record Result(int exitCode, String output) {
	}

}
