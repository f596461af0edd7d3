package dev.flywheel.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleDigest;
import dev.flywheel.inference.serving.RegistryEvents;
import dev.flywheel.inference.serving.ServingState;
import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.MonitoringStub;
import dev.flywheel.inference.support.Oip;
import dev.flywheel.inference.support.RegistryProxy;
import dev.flywheel.inference.support.Scrape;
import dev.flywheel.inference.support.TestModels;
import dev.flywheel.registry.support.RegistryProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What the service does when what it depends on fails: the registry down at start or while it runs, a damaged bundle
 * cache, versions that do not verify or load, monitoring down. One registry (a separate JVM, killed with SIGKILL and
 * restarted on the same database) serves the whole class; each test has a model of its own and its own services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@TempDir
	static Path root;

	private static RegistryProcess registry;

	private static boolean registryDown;

	@TempDir
	Path work;

	@BeforeAll
	static void startRegistry() throws Exception {
		registry = RegistryProcess.start(Files.createDirectories(root.resolve("registry-home")), Map.of());
	}

	@AfterAll
	static void stopRegistry() throws InterruptedException {
		registry.close();
	}

	/** A test that left the registry down hands the next one a running registry again. */
	@BeforeEach
	void registryUp() throws Exception {
		if (registryDown) {
			restartRegistry();
		}
	}

	/** Every service a test started is closed, and a closed service leaves no model version loaded. */
	@AfterEach
	void nothingLeftLoaded() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
				.map(Thread::getName)
				.as("threads of loaded model versions")
				.noneMatch(name -> name.matches("inference-[a-z]+/\\d+") && !name.startsWith("inference-iris/")
						&& !name.startsWith("inference-mixed/")));
	}

	/** Last: it leaves the registry down, and no test after it has to wait for a restart. */
	@Test
	@Order(Integer.MAX_VALUE)
	void registryDownAtStartServesWhatWasServedBeforeFromTheCache() throws Exception {
		String model = "restored";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 11);
		champion(model, publish(model, v1));
		Path home = work.resolve("home");
		float[][] expected = TestModels.reference(v1, Oip.ROWS);
		try (InferenceServer first = serve(home, model).awaitReady()) {
			Oip.assertAnswers(first, "/v2/models/restored/infer", "1", expected);
		}
		assertThat(home.resolve("inference/bundles").resolve(v1.digest())).isDirectory();

		killRegistry();
		try (InferenceServer second = serve(home, model).awaitReady()) {
			Oip.assertAnswers(second, "/v2/models/restored/infer", "1", expected);
			Oip.assertAnswers(second, "/v2/models/restored/versions/champion/infer", "1", expected);
			Oip.assertAnswers(second, "/v2/models/restored/versions/1/infer", "1", expected);
			assertThat(second.bean(RegistryEvents.class).isConnected()).isFalse();
		}
	}

	@Test
	void registryDownWhileRunningKeepsServingAndTheReconnectedEventStreamBringsTheNextAliasMove() throws Exception {
		String model = "followed";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 21);
		Bundle v2 = TestModels.iris(work.resolve("v2"), 22);
		champion(model, publish(model, v1));
		String second = publish(model, v2);
		float[][] expected1 = TestModels.reference(v1, Oip.ROWS);
		float[][] expected2 = TestModels.reference(v2, Oip.ROWS);
		assertThat(expected1[0][0]).isNotCloseTo(expected2[0][0], within(1e-3f));
		// polling an hour apart: only the event stream can bring the alias move within the test
		try (InferenceServer server = serve(work.resolve("home"), model, "flywheel.registry.poll-interval", "1h",
				"flywheel.registry.max-reconnect-delay", "1s")
			.awaitReady()) {
			RegistryEvents events = server.bean(RegistryEvents.class);
			await().atMost(PATIENCE).until(events::isConnected);

			killRegistry();
			await().atMost(PATIENCE).until(() -> !events.isConnected());
			for (int i = 0; i < 200; i++) {
				Oip.assertAnswers(server, "/v2/models/followed/infer", "1", expected1);
			}

			restartRegistry();
			champion(model, second);
			// the stream reconnects on a backoff that doubled while the registry was down, up to a second apart
			await().atMost(PATIENCE)
				.until(() -> "2".equals(Oip.answeringVersion(server, "/v2/models/followed/infer")));
			Oip.assertAnswers(server, "/v2/models/followed/infer", "2", expected2);
			assertThat(events.isConnected()).isTrue();
		}
	}

	@Test
	void pollingAloneCatchesUpWhenTheEventStreamIsUnavailable() throws Exception {
		String model = "polled";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 61);
		Bundle v2 = TestModels.iris(work.resolve("v2"), 62);
		champion(model, publish(model, v1));
		String second = publish(model, v2);
		try (RegistryProxy proxy = RegistryProxy.withoutEvents(registry.baseUrl());
				InferenceServer server = InferenceServer.start(work.resolve("home"), proxy.baseUrl(),
						settings(model, "flywheel.registry.poll-interval", "1s"))
					.awaitReady()) {
			Oip.assertAnswers(server, "/v2/models/polled/infer", "1", TestModels.reference(v1, Oip.ROWS));

			champion(model, second);
			await().atMost(PATIENCE).until(() -> "2".equals(Oip.answeringVersion(server, "/v2/models/polled/infer")));
			Oip.assertAnswers(server, "/v2/models/polled/infer", "2", TestModels.reference(v2, Oip.ROWS));
			assertThat(server.bean(RegistryEvents.class).isConnected()).isFalse();
			assertThat(proxy.refusedEventStreams()).as("event stream connections refused").isPositive();
		}
	}

	@Test
	void aCorruptCachedBundleIsRefusedAndFetchedAgain() throws Exception {
		String model = "repaired";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 31);
		Bundle other = TestModels.iris(work.resolve("other"), 32);
		champion(model, publish(model, v1));
		float[][] expected = TestModels.reference(v1, Oip.ROWS);
		assertThat(TestModels.reference(other, Oip.ROWS)[0][0]).isNotCloseTo(expected[0][0], within(1e-3f));
		Path home = work.resolve("home");
		try (InferenceServer first = serve(home, model).awaitReady()) {
			Oip.assertAnswers(first, "/v2/models/repaired/infer", "1", expected);
		}
		Path cached = home.resolve("inference/bundles").resolve(v1.digest());

		// a valid DL4J model, but with other weights
		Files.copy(other.modelFile(), cached.resolve(Bundle.MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
		try (InferenceServer second = serve(home, model).awaitReady()) {
			Oip.assertAnswers(second, "/v2/models/repaired/infer", "1", expected);
		}
		assertThat(Bundle.read(cached).digest()).as("the cached bundle, fetched again").isEqualTo(v1.digest());

		// a valid signature, but naming the classes in another order
		swapClassNames(cached);
		try (InferenceServer third = serve(home, model).awaitReady()) {
			Oip.assertAnswers(third, "/v2/models/repaired/infer", "1", expected);
		}
		assertThat(Bundle.read(cached).digest()).as("the cached bundle, fetched again").isEqualTo(v1.digest());
	}

	@Test
	void aCorruptCachedBundleWithTheRegistryDownIsNotServedUntilTheRegistryIsBack() throws Exception {
		String model = "unrepairable";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 41);
		champion(model, publish(model, v1));
		float[][] expected = TestModels.reference(v1, Oip.ROWS);
		Path home = work.resolve("home");
		try (InferenceServer first = serve(home, model).awaitReady()) {
			Oip.assertAnswers(first, "/v2/models/unrepairable/infer", "1", expected);
		}
		Path cached = home.resolve("inference/bundles").resolve(v1.digest());
		swapClassNames(cached);

		killRegistry();
		try (InferenceServer second = serve(home, model, "flywheel.registry.poll-interval", "1s")) {
			await().atMost(PATIENCE).until(() -> !Files.exists(cached));
			for (int i = 0; i < 20; i++) {
				var answer = Oip.infer(second, "/v2/models/unrepairable/infer");
				assertThat(answer.getStatus().value()).as("answer %s", answer.getResponseBody()).isEqualTo(503);
				assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isNotNull();
			}
			second.client().get().uri("/v2/health/ready").exchange().expectStatus().isEqualTo(503);

			restartRegistry();
			second.awaitReady();
			Oip.assertAnswers(second, "/v2/models/unrepairable/infer", "1", expected);
		}
		assertThat(Bundle.read(cached).digest()).isEqualTo(v1.digest());
	}

	@Test
	void aVersionThatFailsToVerifyOrLoadIsNeverSwitchedTo() throws Exception {
		String model = "guarded";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 51);
		champion(model, publish(model, v1));
		float[][] expected = TestModels.reference(v1, Oip.ROWS);
		Path home = work.resolve("home");
		String tampered = BundleDigest.sha256("not the bundle".getBytes(StandardCharsets.UTF_8));
		String mislabelled;
		try (InferenceServer server = serve(home, model).awaitReady()) {
			// a version whose flywheel.digest tag does not match its bundle
			mislabelled = publish(model, TestModels.iris(work.resolve("v2"), 52));
			TestModels.setVersionTag(registry.baseUrl(), model, mislabelled, Bundle.DIGEST_TAG, tampered);
			assertNeverSwitchedTo(server, model, mislabelled, expected);

			// a bundle that verifies, but whose model.zip is not a DL4J model
			assertNeverSwitchedTo(server, model, publish(model, TestModels.notAModel(work.resolve("v3"))), expected);

			// a network taking 3 columns behind a signature of 4 features
			assertNeverSwitchedTo(server, model,
					publish(model, TestModels.bundle(work.resolve("v4"), TestModels.IRIS, 3, 54)), expected);
		}
		try (Stream<Path> cache = Files.list(home.resolve("inference/bundles"))) {
			assertThat(cache.map(path -> path.getFileName().toString()))
				.as("the cache holds no bundle under the tampered digest and no half download")
				.doesNotContain(tampered)
				.noneMatch(name -> name.startsWith("."));
		}

		// a service started while the champion is a version it cannot serve keeps the one it served before
		champion(model, mislabelled);
		try (InferenceServer restarted = serve(home, model).awaitReady()) {
			Oip.assertAnswers(restarted, "/v2/models/guarded/infer", "1", expected);
			assertThat(loadFailures(restarted, model)).isPositive();
		}
	}

	@Test
	void monitoringDownPredictionsSucceedAndEveryRecordIsCountedAsDropped() throws Exception {
		String model = "unmonitored";
		Bundle v1 = TestModels.iris(work.resolve("v1"), 71);
		champion(model, publish(model, v1));
		float[][] expected = TestModels.reference(v1, Oip.ROWS);
		int requests = 40;
		try (InferenceServer server = serve(work.resolve("home"), model, "flywheel.inference.prediction-log.enabled",
				"true", "flywheel.monitoring.url", MonitoringStub.unreachableUrl(),
				"flywheel.inference.prediction-log.flush-interval", "100ms")
			.awaitReady()) {
			for (int i = 0; i < requests; i++) {
				Oip.assertAnswers(server, "/v2/models/unmonitored/infer", "1", expected);
			}
			int records = requests * Oip.ROWS.length;
			await().atMost(PATIENCE)
				.until(() -> Scrape.of(server).value("inference_prediction_log_dropped_total", Map.of()) == records);
			Scrape scrape = Scrape.of(server);
			assertThat(scrape.value("inference_prediction_log_sent_total", Map.of())).isZero();
			assertThat(scrape.value("inference_requests_total",
					Map.of("model", model, "version", "1", "outcome", "success"))).isEqualTo(requests);
		}
	}

	/** Moves the champion to {@code broken}, waits until the service has tried it, and checks it still serves v1. */
	private void assertNeverSwitchedTo(InferenceServer server, String model, String broken, float[][] expected) {
		double before = loadFailures(server, model);
		champion(model, broken);
		await().atMost(PATIENCE).until(() -> loadFailures(server, model) > before);
		for (int i = 0; i < 20; i++) {
			Oip.assertAnswers(server, "/v2/models/" + model + "/infer", "1", expected);
		}
		server.client().get().uri("/v2/models/" + model + "/versions/" + broken + "/ready").exchange()
			.expectStatus().isNotFound();
		assertThat(server.bean(ServingState.class).of(model).aliases()).containsEntry("champion", "1");
		champion(model, "1");
	}

	private static double loadFailures(InferenceServer server, String model) {
		return Scrape.valueOrZero(server, "inference_model_load_failures_total", Map.of("model", model));
	}

	/** Rewrites the cached signature with the first and last class names swapped: still valid, but wrong. */
	private static void swapClassNames(Path bundle) throws IOException {
		Path signature = bundle.resolve(Bundle.SIGNATURE_FILE);
		String text = Files.readString(signature);
		assertThat(text).contains("setosa", "virginica");
		Files.writeString(signature, text.replace("setosa", "\u0000").replace("virginica", "setosa")
			.replace("\u0000", "virginica"));
	}

	private static InferenceServer serve(Path home, String model, String... settings) {
		return InferenceServer.start(home, registry.baseUrl(), settings(model, settings));
	}

	/** Settings serving {@code model} alone, without a prediction log, polling hourly unless overridden. */
	private static Map<String, String> settings(String model, String... overrides) {
		Map<String, String> settings = new HashMap<>(Map.of("flywheel.inference.models", model,
				"flywheel.inference.prediction-log.enabled", "false", "flywheel.registry.poll-interval", "1h"));
		for (int i = 0; i < overrides.length; i += 2) {
			settings.put(overrides[i], overrides[i + 1]);
		}
		return settings;
	}

	private static String publish(String model, Bundle bundle) {
		return TestModels.publish(registry.baseUrl(), model, bundle);
	}

	private static void champion(String model, String version) {
		TestModels.setAlias(registry.baseUrl(), model, "champion", version);
	}

	private static void killRegistry() throws InterruptedException {
		registryDown = true;
		registry.kill();
	}

	private static void restartRegistry() throws Exception {
		registry.restart();
		registryDown = false;
	}

}
