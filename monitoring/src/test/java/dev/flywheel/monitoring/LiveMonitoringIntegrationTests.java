package dev.flywheel.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
import dev.flywheel.monitoring.drifting.DriftMonitor;
import dev.flywheel.monitoring.support.MonitoringServer;
import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

import dev.flywheel.support.testing.ExternalTool;

import static dev.flywheel.monitoring.ingest.IngestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Live quality and drift over live windows with a real registry. Drift: each version's reference profile is read from its bundle, the stored
 * prediction log is counted on its bins, and the window is judged off the request path: traffic like the training
 * data raises no alarm, a mean shift of half a standard deviation in one feature raises it and names the feature, a
 * window under the minimum is not judged, a version without a readable bundle waits and says why, and a restart
 * counts the stored window again. Quality: the labelled predictions of each version judged against its held-out
 * accuracy, with label coverage and delay.
 */
class LiveMonitoringIntegrationTests {

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
		return log(version, rows, shift, seed, new ArrayList<>(), new ArrayList<>());
	}

	/** The same, with each row's id and predicted label added to {@code ids} and {@code labels}. */
	private static String log(String version, int rows, double shift, long seed, List<String> ids,
			List<String> labels) {
		SplittableRandom random = new SplittableRandom(seed);
		Map<String, List<Double>> features = new LinkedHashMap<>();
		for (String feature : FEATURES) {
			features.put(feature, new ArrayList<>());
		}
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
		post(monitoring, "/api/v1/predictions", body);
	}

	private static void post(MonitoringServer monitoring, String path, String body) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl() + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static JsonNode get(MonitoringServer monitoring, String query, int status) throws Exception {
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
			get(monitoring, model + "/drift", 404);

			monitoring.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));

			JsonNode drift = get(monitoring, model + "/drift", 200);
			JsonNode steady = version(drift, "1");
			assertThat(steady.path("status").asString()).isEqualTo("judged");
			assertThat(steady.path("alarm").asBoolean()).as(steady.toString()).isFalse();
			assertThat(steady.path("judged_features").asInt()).isEqualTo(4);
			assertThat(steady.path("window").path("rows").asLong()).isEqualTo(800);
			assertThat(steady.path("evaluation_ms").asDouble()).isGreaterThan(0);
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

			assertThat(get(monitoring, model + "/drift?version=2", 200).path("versions")).hasSize(1);
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
			JsonNode drift = get(restarted, model + "/drift", 200);
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

			JsonNode waiting = version(get(monitoring, model + "/drift", 200), "9");
			assertThat(waiting.path("status").asString()).isEqualTo("waiting_for_profile");
			assertThat(waiting.path("reason").asString()).contains("no version '9'");
			assertThat(waiting.path("pending_rows").asInt()).isEqualTo(50);
		}
	}

	/** Feedback for the first {@code labelled} rows: the predicted label for the first {@code correct}, else another. */
	private static String feedback(String version, List<String> ids, List<String> labels, int labelled, int correct) {
		List<Map<String, Object>> events = new ArrayList<>();
		Instant at = Instant.now();
		for (int row = 0; row < labelled; row++) {
			String predicted = labels.get(row);
			Map<String, Object> event = new LinkedHashMap<>();
			event.put("prediction_id", ids.get(row));
			event.put("model", model);
			event.put("model_version", version);
			event.put("label", row < correct ? predicted : predicted.equals("a") ? "b" : "a");
			event.put("predicted_at", at.toString());
			event.put("received_at", at.plusSeconds(row % 10 == 0 ? 600 : 60).toString());
			events.add(event);
		}
		return JSON.writeValueAsString(Map.of("feedback", events));
	}

	@Test
	void judgesEachVersionsLabelledPredictionsAgainstItsHeldOutAccuracy() throws Exception {
		try (MonitoringServer monitoring = MonitoringServer.start(Map.of("flywheel.home",
				home.resolve("monitoring-quality").toString(), "flywheel.registry.url", registry.baseUrl(),
				"flywheel.monitoring.drift-interval", "1h", "flywheel.monitoring.retraining.trigger-interval", "200ms",
				"flywheel.monitoring.retraining.triggers.quality", "false"))) {
			List<String> ids1 = new ArrayList<>();
			List<String> labels1 = new ArrayList<>();
			post(monitoring, log("1", 300, 0, 11, ids1, labels1));
			post(monitoring, "/api/v1/feedback", feedback("1", ids1, labels1, 250, 240));
			List<String> ids2 = new ArrayList<>();
			List<String> labels2 = new ArrayList<>();
			post(monitoring, log("2", 300, 0, 12, ids2, labels2));
			post(monitoring, "/api/v1/feedback", feedback("2", ids2, labels2, 250, 150));

			JsonNode quality = get(monitoring, model + "/quality", 200);
			JsonNode good = version(quality, "1");
			assertThat(good.path("predictions").asLong()).isEqualTo(300);
			assertThat(good.path("labelled").asLong()).isEqualTo(250);
			assertThat(good.path("label_coverage").asDouble()).isCloseTo(250 / 300.0, within(1e-9));
			assertThat(good.path("accuracy").asDouble()).isCloseTo(0.96, within(1e-9));
			assertThat(good.path("held_out_accuracy").asDouble()).isEqualTo(0.9);
			assertThat(good.path("verdict").asString()).isEqualTo("ok");
			// the delay runs from the logged prediction time to the feedback's arrival at the router
			assertThat(good.path("label_delay").path("median_seconds").asDouble()).isCloseTo(60, within(5.0));
			assertThat(good.path("label_delay").path("max_seconds").asDouble()).isCloseTo(600, within(5.0));
			JsonNode dropped = version(quality, "2");
			assertThat(dropped.path("accuracy").asDouble()).isCloseTo(0.6, within(1e-9));
			assertThat(dropped.path("verdict").asString()).isEqualTo("dropped");
			assertThat(dropped.path("confusion")).isNotEmpty();

			// and as gauges, published as the triggers look at quality
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(
					URI.create(monitoring.baseUrl() + "/actuator/prometheus")).GET().build()).body())
				.contains("flywheel_monitoring_quality_accuracy{model=\"" + model + "\",version=\"1\"} 0.96")
				.contains("flywheel_monitoring_quality_dropped{model=\"" + model + "\",version=\"2\"} 1.0")
				.contains("flywheel_monitoring_label_coverage{model=\"" + model + "\",version=\"1\"} 0.8333"));

			assertThat(get(monitoring, model + "/quality?window=soon", 400).path("error").asString())
				.contains("ISO-8601 duration");
			get(monitoring, "no-such-model/quality", 404);
		}
	}

	@Test
	void theReportIsOnePageThatHeadlessChromiumRendersWithItsCharts() throws Exception {
		Path chromium = ExternalTool.require("chromium", "chromium", "the report cannot be rendered");
		try (MonitoringServer monitoring = MonitoringServer.start(Map.of("flywheel.home",
				home.resolve("monitoring-report").toString(), "flywheel.registry.url", registry.baseUrl(),
				"flywheel.router.url", "http://127.0.0.1:9", "flywheel.monitoring.drift-interval", "1h"))) {
			List<String> ids = new ArrayList<>();
			List<String> labels = new ArrayList<>();
			post(monitoring, log("1", 400, 0, 21, ids, labels));
			post(monitoring, "/api/v1/feedback", feedback("1", ids, labels, 300, 270));
			post(monitoring, log("2", 400, 0.5, 22));
			monitoring.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));

			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
					+ "/api/v1/models/" + model + "/report")).GET().build());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
			String html = response.body();
			assertThat(html).contains("<h1>" + model + "</h1>", "Drift alarm", "No drift alarm", "x0", "x3",
					"the router could not be asked", "never retrained");
			assertThat(html).as("self-contained: nothing loaded from elsewhere").doesNotContain("src=", "href=",
					"@import", "url(");
			int charts = html.split("data-chart=", -1).length - 1;
			assertThat(charts).as("a histogram per feature of each version, and the quality over time").isEqualTo(9);
			Path page = home.resolve("report.html");
			Files.writeString(page, html);

			Path profile = Files.createTempDirectory(home, "chromium-");
			List<String> headless = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
					"--disable-background-networking", "--user-data-dir=" + profile, "--enable-logging=stderr",
					"--v=0");
			Path dom = home.resolve("dom.html");
			Path console = home.resolve("console.log");
			List<String> dumpDom = new ArrayList<>(headless);
			dumpDom.addAll(List.of("--dump-dom", page.toUri().toString()));
			Process dump = new ProcessBuilder(dumpDom).redirectOutput(dom.toFile()).redirectError(console.toFile())
				.start();
			assertThat(dump.waitFor(90, TimeUnit.SECONDS)).as("chromium --dump-dom").isTrue();
			String rendered = Files.readString(dom);
			assertThat(rendered).as("the script drew every chart").contains("data-rendered=\"" + charts + "\"");
			assertThat(rendered.split("<svg", -1).length - 1).isEqualTo(charts);
			assertThat(rendered).contains("<rect", "<path");
			assertThat(Files.readString(console)).as("script errors").doesNotContain("Uncaught", "SyntaxError",
					"TypeError", "ReferenceError");

			Path screenshot = home.resolve("report.png");
			List<String> shoot = new ArrayList<>(headless);
			shoot.addAll(List.of("--window-size=1280,2400", "--screenshot=" + screenshot, page.toUri().toString()));
			Process shot = new ProcessBuilder(shoot).redirectErrorStream(true)
				.redirectOutput(home.resolve("screenshot.log").toFile())
				.start();
			assertThat(shot.waitFor(90, TimeUnit.SECONDS)).as("chromium --screenshot").isTrue();
			assertThat(screenshot).exists();
			assertThat(Files.size(screenshot)).as("a page with charts, not a blank one").isGreaterThan(20_000);

			HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
					+ "/api/v1/models/no-such-model/report")).GET().build());
			assertThat(unknown.statusCode()).isEqualTo(404);
		}
	}

}
