package dev.flywheel.bundle.registry;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleDigestMismatchException;
import dev.flywheel.bundle.BundleException;
import dev.flywheel.bundle.TestBundles;
import dev.flywheel.registry.support.RegistryProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Publishing to and fetching from the real registry, run as its own process. */
class RegistryClientIntegrationTests {

	private static Path home;

	private static RegistryProcess registry;

	@TempDir
	Path work;

	@BeforeAll
	static void startRegistry() throws Exception {
		home = Files.createTempDirectory("bundle-registry-");
		registry = RegistryProcess.start(home, Map.of());
	}

	@AfterAll
	static void stopRegistry() throws Exception {
		registry.close();
	}

	private RegistryClient client() {
		return new RegistryClient(URI.create(registry.baseUrl()), null, Duration.ofSeconds(10));
	}

	@Test
	void publishesABundleAndFetchesItBackByVersionAndAlias() throws IOException {
		Bundle bundle = TestBundles.write(work, "published", 0.97);
		String runId = new MlflowClient(registry.baseUrl()).createRun().getRunId();
		RegistryClient.Version version = client().publish(bundle, "iris-species", runId, Map.of("flywheel.gate", "passed"));
		assertThat(version.digest()).isEqualTo(bundle.digest());
		assertThat(version.tags()).containsEntry("flywheel.gate", "passed");
		client().setAlias("iris-species", "champion", version.version());

		Bundle byNumber = client().fetch("iris-species", version.version(), work.resolve("by-number"));
		Bundle byAlias = client().fetch("iris-species", "champion", work.resolve("by-alias"));
		assertThat(byNumber.digest()).isEqualTo(bundle.digest());
		assertThat(byAlias.metrics()).isEqualTo(bundle.metrics());
		assertThat(Files.readAllBytes(byAlias.modelFile())).isEqualTo(Files.readAllBytes(bundle.modelFile()));
		assertThat(client().find("iris-species", "champion")).map(RegistryClient.Version::version)
			.contains(version.version());
		assertThat(client().find("iris-species", "nobody")).isEmpty();
	}

	@Test
	void fetchesFileByFileFromAnMlflowServerWithoutTheBundleRoute() throws Exception {
		Bundle bundle = TestBundles.write(work, "plain-mlflow", 0.93);
		String runId = new MlflowClient(registry.baseUrl()).createRun().getRunId();
		RegistryClient.Version version = client().publish(bundle, "plain", runId, Map.of());
		try (PlainMlflowFacade plain = new PlainMlflowFacade(registry.baseUrl())) {
			RegistryClient throughPlain = new RegistryClient(URI.create(plain.url()), null, Duration.ofSeconds(10));
			Bundle fetched = throughPlain.fetch("plain", version.version(), work.resolve("file-by-file"));
			assertThat(fetched.digest()).isEqualTo(bundle.digest());
			assertThat(plain.refusedBundleRoute()).isTrue();
		}
	}

	@Test
	void refusesABundleWhoseFilesWereChangedInTheStore() throws IOException {
		Bundle bundle = TestBundles.write(work, "changed", 0.91);
		String runId = new MlflowClient(registry.baseUrl()).createRun().getRunId();
		RegistryClient.Version version = client().publish(bundle, "tampered", runId, Map.of());
		Path stored = Files.walk(home.resolve("registry/artifacts"))
			.filter(p -> p.endsWith(Path.of(runId, "artifacts", "model", Bundle.METRICS_FILE)))
			.findFirst()
			.orElseThrow();
		Files.writeString(stored, Files.readString(stored).replace("0.91", "0.99"));

		Path target = work.resolve("refused");
		assertThatThrownBy(() -> client().fetch("tampered", version.version(), target))
			.isInstanceOf(BundleDigestMismatchException.class);
		assertThat(target).doesNotExist();
		assertThat(Files.list(work).filter(p -> p.getFileName().toString().startsWith(".fetching-"))).isEmpty();
	}

	/** MLflow's own server: the same routes, but no Flywheel additions (404 for /api/2.0/flywheel/...). */
	static final class PlainMlflowFacade implements AutoCloseable {

		private final com.sun.net.httpserver.HttpServer server;

		private final java.net.http.HttpClient upstream = java.net.http.HttpClient.newHttpClient();

		private volatile boolean refused;

		PlainMlflowFacade(String target) throws IOException {
			server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().toString();
				byte[] body;
				int status;
				if (path.startsWith("/api/2.0/flywheel/")) {
					refused = true;
					status = 404;
					body = "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no such route\"}".getBytes();
				}
				else {
					try {
						var response = upstream.send(java.net.http.HttpRequest.newBuilder(URI.create(target + path))
							.method(exchange.getRequestMethod(),
									java.net.http.HttpRequest.BodyPublishers.ofByteArray(
											exchange.getRequestBody().readAllBytes()))
							.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
						status = response.statusCode();
						body = response.body();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						status = 502;
						body = new byte[0];
					}
				}
				exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
				try (var out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
		}

		String url() {
			return "http://127.0.0.1:" + server.getAddress().getPort();
		}

		boolean refusedBundleRoute() {
			return refused;
		}

		@Override
		public void close() {
			server.stop(0);
		}

	}

	@Test
	void namesWhatIsMissing() {
		assertThatThrownBy(() -> client().fetch("no-such-model", "champion", work.resolve("x")))
			.isInstanceOf(BundleException.class)
			.hasMessageContaining("no version 'champion' of model 'no-such-model'");
		RegistryClient down = new RegistryClient(URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(2));
		assertThatThrownBy(() -> down.fetch("m", "1", work.resolve("y"))).isInstanceOf(BundleException.class)
			.hasMessageContaining("cannot be reached");
	}

}
