package dev.flywheel.monitoring.drifting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;
import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.TestBundles;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.monitoring.support.MonitoringServer;
import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.monitoring.ingest.IngestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift over live windows with a real registry: each version's reference profile is read from its bundle, the stored
 * prediction log is counted on its bins, and the window is judged off the request path: traffic like the training
 * data raises no alarm, a mean shift of half a standard deviation in one feature raises it and names the feature, a
 * window under the minimum is not judged, a version without a readable bundle waits and says why, and a restart
 * counts the stored window again.
 */
class DriftMonitoringIntegrationTests {

	private static final String[] FEATURES = { "x0", "x1", "x2", "x3" };

	private static final double[] MEANS = { 0, 5, -3, 10 };

	private static final double[] STDS = { 1, 2, 0.5, 3 };

	private static RegistryProcess registry;

	private static String model;

	@TempDir
	static Path home;

	@BeforeAll
	static void publishAModelWithAReferenceProfile() throws Exception {
		registry = RegistryProcess.start(TestDatabases.newHome(), Map.of());
		model = "drift-" + UUID.randomUUID().toString().substring(0, 8);
		SplittableRandom random = new SplittableRandom(7);
		double[][] reference = new double[FEATURES.length][10_000];
		Map<String, Long> classes = new LinkedHashMap<>();
		for (int row = 0; row < 10_000; row++) {
			double[] x = draw(random, 0);
			for (int f = 0; f < FEATURES.length; f++) {
				reference[f][row] = x[f];
			}
			classes.merge(label(x), 1L, Long::sum);
		}
		Map<String, NumericFeature> numeric = new LinkedHashMap<>();
		for (int f = 0; f < FEATURES.length; f++) {
			numeric.put(FEATURES[f], NumericFeature.of(reference[f], 10));
		}
		ReferenceProfile profile = new ReferenceProfile(10_000, numeric, Map.of(),
				new ReferenceProfile.Predictions(classes, null));
		Signature signature = new Signature(
				List.of(Signature.Input.numeric("x0"), Signature.Input.numeric("x1"), Signature.Input.numeric("x2"),
						Signature.Input.numeric("x3")),
				Signature.Output.classification(List.of("a", "b", "c")));
		RegistryClient client = new RegistryClient(URI.create(registry.baseUrl()), null, Duration.ofSeconds(10));
		for (String version : new String[] { "1", "2", "3" }) {
			Path work = home.resolve("bundle-" + version);
			Bundle bundle = Bundle.write(work.resolve("bundle"),
					TestBundles.modelZip(home.resolve("model-" + version + ".zip"), 1_700_000_000_000L, version),
					signature, profile, TestBundles.metrics(0.9), TestBundles.lineage("2026-11-27T00:00:00Z"));
			String runId = new MlflowClient(registry.baseUrl()).createRun().getRunId();
			assertThat(client.publish(bundle, model, runId, Map.of()).version()).isEqualTo(version);
		}
	}

	@AfterAll
	static void stopRegistry() throws InterruptedException {
		if (registry != null) {
			registry.close();
		}
	}

	/** A row of the four features, the first shifted by {@code shift} of its standard deviation. */
	private static double[] draw(SplittableRandom random, double shift) {
		double[] x = new double[FEATURES.length];
		for (int f = 0; f < FEATURES.length; f++) {
			x[f] = MEANS[f] + STDS[f] * (gaussian(random) + (f == 0 ? shift : 0));
		}
		return x;
	}

	private static double gaussian(SplittableRandom random) {
		double u = random.nextDouble();
		double v = random.nextDouble();
		return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
	}

	/** A stand-in classifier: the class follows the first two features. */
	private static String label(double[] x) {
		return x[0] < -0.5 ? "a" : x[1] < 5 ? "b" : "c";
	}

	/** The prediction log of {@code rows} rows of {@code version}, as the inference service posts it. */
	private static String log(String version, int rows, double shift, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<String> ids = new ArrayList<>();
		Map<String, List<Double>> features = new LinkedHashMap<>();
		for (String feature : FEATURES) {
			features.put(feature, new ArrayList<>());
		}
		List<String> labels = new ArrayList<>();
		for (int row = 0; row < rows; row++) {
			double[] x = draw(random, shift);
			ids.add(UUID.randomUUID().toString());
			for (int f = 0; f < FEATURES.length; f++) {
				features.get(FEATURES[f]).add(x[f]);
			}
			labels.add(label(x));
		}
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("model", model);
		record.put("version", version);
		record.put("timestamp", Instant.now().toString());
		record.put("prediction_ids", ids);
		record.put("features", features);
		record.put("outputs", Map.of("label", labels));
		return JSON.writeValueAsString(Map.of("predictions", List.of(record)));
	}

	private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static void post(MonitoringServer monitoring, String body) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
				+ "/api/v1/predictions"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static JsonNode drift(MonitoringServer monitoring, String query, int status) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
				+ "/api/v1/models/" + query))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
	}

	private static JsonNode version(JsonNode drift, String version) {
		for (JsonNode v : drift.path("versions")) {
			if (v.path("version").asString().equals(version)) {
				return v;
			}
		}
		throw new AssertionError("No version " + version + " in " + drift);
	}

	private static JsonNode feature(JsonNode version, String name) {
		for (JsonNode f : version.path("features")) {
			if (f.path("name").asString().equals(name)) {
				return f;
			}
		}
		throw new AssertionError("No feature " + name + " in " + version);
	}

	private static MonitoringServer start() {
		return MonitoringServer.start(Map.of("flywheel.home", home.resolve("monitoring").toString(),
				"flywheel.registry.url", registry.baseUrl(), "flywheel.monitoring.drift-interval", "1h"));
	}

	@Test
	void judgesEachVersionsWindowAgainstItsProfileAndCountsItAgainAfterARestart() throws Exception {
		try (MonitoringServer monitoring = start()) {
			post(monitoring, log("1", 400, 0, 1));
			post(monitoring, log("1", 400, 0, 2));
			post(monitoring, log("2", 800, 0.5, 3));
			post(monitoring, log("3", 100, 0, 4));
			drift(monitoring, model + "/drift", 404);

			monitoring.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));

			JsonNode drift = drift(monitoring, model + "/drift", 200);
			JsonNode steady = version(drift, "1");
			assertThat(steady.path("status").asString()).isEqualTo("judged");
			assertThat(steady.path("alarm").asBoolean()).as(steady.toString()).isFalse();
			assertThat(steady.path("judged_features").asInt()).isEqualTo(4);
			for (String name : FEATURES) {
				JsonNode feature = feature(steady, name);
				assertThat(feature.path("rows").asLong()).isEqualTo(800);
				assertThat(feature.path("verdict").asString()).as(feature.toString()).isEqualTo("no_drift");
				assertThat(feature.path("psi").asDouble()).isLessThan(0.1);
			}
			assertThat(steady.path("predictions").path("verdict").asString()).isEqualTo("no_drift");

			JsonNode shifted = version(drift, "2");
			assertThat(shifted.path("alarm").asBoolean()).as(shifted.toString()).isTrue();
			assertThat(feature(shifted, "x0").path("verdict").asString()).isEqualTo("drift");
			assertThat(feature(shifted, "x0").path("normalized_wasserstein").asDouble()).isGreaterThan(0.35);
			for (String name : new String[] { "x1", "x2", "x3" }) {
				assertThat(feature(shifted, name).path("verdict").asString()).as(name).isEqualTo("no_drift");
			}

			JsonNode small = version(drift, "3");
			assertThat(small.path("alarm").asBoolean()).isFalse();
			assertThat(small.path("judged_features").asInt()).isZero();
			assertThat(feature(small, "x0").path("verdict").asString()).isEqualTo("insufficient");
			assertThat(feature(small, "x0").path("minimum_rows").asLong()).isEqualTo(300);

			assertThat(drift(monitoring, model + "/drift?version=2", 200).path("versions")).hasSize(1);
			String metrics = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl() + "/actuator/prometheus"))
				.GET()
				.build()).body();
			assertThat(metrics).contains("flywheel_monitoring_drift_alarm{model=\"" + model + "\",version=\"2\"} 1.0")
				.contains("flywheel_monitoring_drift_alarm{model=\"" + model + "\",version=\"1\"} 0.0")
				.contains("flywheel_monitoring_feature_drift{feature=\"x0\",measure=\"psi\",model=\"" + model
						+ "\",version=\"2\"}");
		}
		// the windows are counted again from the stored prediction log
		try (MonitoringServer restarted = start()) {
			restarted.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));
			JsonNode drift = drift(restarted, model + "/drift", 200);
			assertThat(feature(version(drift, "1"), "x1").path("rows").asLong()).isEqualTo(800);
			assertThat(version(drift, "2").path("alarm").asBoolean()).isTrue();
		}
	}

	@Test
	void aVersionWhoseBundleCannotBeReadWaitsAndSaysWhy() throws Exception {
		try (MonitoringServer monitoring = MonitoringServer.start(Map.of("flywheel.home",
				home.resolve("monitoring-unknown").toString(), "flywheel.registry.url", registry.baseUrl(),
				"flywheel.monitoring.drift-interval", "1h"))) {
			String body = log("9", 50, 0, 5);
			post(monitoring, body);
			monitoring.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));

			JsonNode waiting = version(drift(monitoring, model + "/drift", 200), "9");
			assertThat(waiting.path("status").asString()).isEqualTo("waiting_for_profile");
			assertThat(waiting.path("reason").asString()).contains("no version '9'");
			assertThat(waiting.path("pending_rows").asInt()).isEqualTo(50);
		}
	}

}
