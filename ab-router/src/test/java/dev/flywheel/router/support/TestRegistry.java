package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

/**
 * The packaged registry ({@code registry.jar}), started once per test JVM and shared by the test classes, and models
 * published to it through MLflow's REST API. Versions are registered without bundles: the router only checks that
 * they exist.
 */
public final class TestRegistry {

	private static RegistryProcess process;

	private TestRegistry() {
	}

	/** The base URL of the running registry, started on first use and stopped when the JVM exits. */
	public static synchronized String url() {
		if (process == null) {
			try {
				Path home = TestDatabases.newHome();
				process = RegistryProcess.start(home, Map.of());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			RegistryProcess started = process;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					started.close();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		return process.baseUrl();
	}

	/**
	 * Registers a model with a fresh name starting with {@code prefix}, with versions 1 to {@code versions}, alias
	 * {@code champion} on version 1 and {@code challenger} on version 2; returns its name.
	 */
	public static String model(String prefix, int versions) {
		String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		post("registered-models/create", "{\"name\": \"" + name + "\"}");
		for (int i = 0; i < versions; i++) {
			post("model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"mlflow-artifacts:/0/" + name
					+ "/artifacts/model-" + (i + 1) + "\"}");
		}
		RegistryClient client = new RegistryClient(URI.create(url()), null, Duration.ofSeconds(10));
		client.setAlias(name, "champion", "1");
		if (versions > 1) {
			client.setAlias(name, "challenger", "2");
		}
		return name;
	}

	/** A URL where no registry answers: a port that was free a moment ago. */
	public static String unreachableUrl() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void post(String path, String json) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/api/2.0/mlflow/" + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		try {
			HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(path + " failed: " + response.statusCode() + " " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
