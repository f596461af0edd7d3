package dev.flywheel.monitoring;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.monitoring.support.IrisChampion;
import dev.flywheel.monitoring.support.MonitoringServer;
import dev.flywheel.monitoring.support.ServiceProcess;
import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.monitoring.ingest.IngestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The closed loop, end to end with the real services: the registry, the packaged training job, inference service and
 * router as separate JVMs, and monitoring. A champion is trained from iris and served; traffic goes through the router
 * with labelled feedback. Traffic drawn from iris triggers nothing. Then the petals grow (petal length +3 cm, width
 * +1 cm): drift is detected, a retraining job is launched with the labelled production data as a snapshot in its
 * lineage, the new version passes its gate and is made challenger, an A/B test is started on the router, and the
 * router, judging the feedback, promotes the better version, which the inference service then serves as champion.
 */
class ClosedLoopIntegrationTests {

	private static final String MODEL = "iris-species";

	private static final String[] FEATURES = { "sepal_length", "sepal_width", "petal_length", "petal_width" };

	private static RegistryProcess registry;

	private static ServiceProcess inference;

	private static ServiceProcess router;

	private static MonitoringServer monitoring;

	private static List<String[]> iris;

	private static int unit;

	@TempDir
	static Path work;

	@BeforeAll
	static void startThePlatform() throws Exception {
		registry = RegistryProcess.start(TestDatabases.newHome(), Map.of());
		Path data = IrisChampion.train(registry.baseUrl(), work, "{hidden: [{units: 16, activation: relu}]}",
				"{updater: adam, learning_rate: 0.02, epochs: 80, batch_size: 32}");
		iris = Files.readAllLines(data).stream().skip(1).map(line -> line.split(",")).toList();

		// each service is given the others' addresses: monitoring's port is chosen first
		int monitoringPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			monitoringPort = socket.getLocalPort();
		}
		String monitoringUrl = "http://127.0.0.1:" + monitoringPort;
		inference = ServiceProcess.start("inference.jar", work.resolve("inference"),
				List.of("-Xmx384m", "-XX:MaxDirectMemorySize=64m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=900m"),
				Map.of("flywheel.registry.url", registry.baseUrl(), "flywheel.inference.models", MODEL,
						"flywheel.registry.poll-interval", "2s", "flywheel.monitoring.url", monitoringUrl),
				"/v2/health/ready", Duration.ofMinutes(2));
		router = ServiceProcess.start("router.jar", work.resolve("router"), List.of("-Xmx256m"),
				Map.of("flywheel.registry.url", registry.baseUrl(), "flywheel.inference.url", inference.baseUrl(),
						"flywheel.monitoring.url", monitoringUrl, "flywheel.inference.models", MODEL,
						"flywheel.router.flush-interval", "100ms", "flywheel.router.refresh-interval", "200ms",
						"flywheel.router.decision-interval", "300ms"),
				"/actuator/health/readiness", Duration.ofMinutes(1));
		monitoring = MonitoringServer.start(Map.ofEntries(Map.entry("server.port", String.valueOf(monitoringPort)),
				Map.entry("flywheel.home", work.resolve("monitoring").toString()),
				Map.entry("flywheel.registry.url", registry.baseUrl()),
				Map.entry("flywheel.router.url", router.baseUrl()),
				Map.entry("flywheel.monitoring.drift-window", "15s"),
				Map.entry("flywheel.monitoring.drift-bucket", "1s"),
				Map.entry("flywheel.monitoring.drift-interval", "1s"),
				Map.entry("flywheel.monitoring.retraining.training-jar", System.getProperty("training.jar")),
				Map.entry("flywheel.monitoring.retraining.triggers.drift-windows", "1"),
				Map.entry("flywheel.monitoring.retraining.triggers.drift-of", "1"),
				Map.entry("flywheel.monitoring.retraining.triggers.quality", "false"),
				Map.entry("flywheel.monitoring.retraining.ab-test.min-samples", "100"),
				Map.entry("flywheel.monitoring.retraining.max-attempts", "1")));
	}

	@AfterAll
	static void stopThePlatform() throws InterruptedException {
		for (AutoCloseable service : new AutoCloseable[] { router, inference, monitoring }) {
			try {
				if (service != null) {
					service.close();
				}
			}
			catch (Exception ex) {
				// stopping the rest matters more
			}
		}
		if (registry != null) {
			registry.close();
		}
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode get(String url) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET());
		return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
	}

	private static JsonNode post(String url, String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		HttpResponse<String> response = send(request);
		assertThat(response.statusCode()).as(url + ": " + response.body()).isBetween(200, 299);
		return JSON.readTree(response.body());
	}

	/**
	 * {@code n} predictions through the router of iris rows drawn with replacement, petals grown when {@code grown},
	 * each unit a new one, with the true species of each as feedback every 25 predictions (labels arriving as the
	 * traffic goes on); returns the variants that answered.
	 */
	private static Map<String, Integer> traffic(int n, boolean grown, long seed) throws Exception {
		SplittableRandom random = new SplittableRandom(seed);
		List<Map<String, Object>> feedback = new ArrayList<>();
		Map<String, Integer> variants = new LinkedHashMap<>();
		for (int i = 0; i < n; i++) {
			String[] row = iris.get(random.nextInt(iris.size()));
			Map<String, Object> instance = new LinkedHashMap<>();
			for (int f = 0; f < FEATURES.length; f++) {
				double value = Double.parseDouble(row[f]);
				instance.put(FEATURES[f], value + (grown && f == 2 ? 3.0 : grown && f == 3 ? 1.0 : 0));
			}
			JsonNode answer = post(router.baseUrl() + "/v1/models/" + MODEL + ":predict",
					JSON.writeValueAsString(Map.of("instances", List.of(instance))),
					Map.of("X-Flywheel-Unit", "unit-" + unit++));
			variants.merge(answer.path("variant").isMissingNode() || answer.path("variant").isNull() ? "-"
					: answer.path("variant").asString(), 1, Integer::sum);
			feedback.add(Map.of("prediction_id", answer.path("prediction_ids").get(0).asString(), "label", row[4]));
			if (feedback.size() == 25 || i == n - 1) {
				post(router.baseUrl() + "/api/v1/feedback", JSON.writeValueAsString(feedback), Map.of());
				feedback.clear();
			}
		}
		return variants;
	}

	private static List<JsonNode> jobs() throws Exception {
		List<JsonNode> jobs = new ArrayList<>();
		JsonNode answer = get(monitoring.baseUrl() + "/api/v1/retraining/jobs?model=" + MODEL);
		if (answer != null) {
			answer.path("jobs").forEach(jobs::add);
		}
		return jobs;
	}

	@Test
	void driftTriggersARetrainingWhoseVersionWinsItsAbTestAndIsPromoted() throws Exception {
		// traffic like the training data: judged, no alarm, nothing triggered
		traffic(400, false, 1);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode drift = get(monitoring.baseUrl() + "/api/v1/models/" + MODEL + "/drift?version=1");
			return drift != null && drift.path("versions").get(0).path("window").path("rows").asLong() >= 400;
		});
		JsonNode steady = get(monitoring.baseUrl() + "/api/v1/models/" + MODEL + "/drift?version=1").path("versions")
			.get(0);
		assertThat(steady.path("alarm").asBoolean()).as(steady.toString()).isFalse();
		Thread.sleep(2000);
		assertThat(jobs()).as("no shift, nothing triggered").isEmpty();

		// the window turns over, then the petals grow
		Thread.sleep(16_000);
		traffic(400, true, 2);
		JsonNode job = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			List<JsonNode> jobs = jobs();
			return jobs.isEmpty() ? null : jobs.get(0);
		}, found -> found != null && !List.of("preparing", "running").contains(found.path("status").asString()));
		assertThat(job.path("reason").asString()).isEqualTo("drift");
		assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("succeeded");
		assertThat(job.path("new_version").asString()).isEqualTo("2");
		assertThat(job.path("snapshot").path("rows").asLong()).as("the labelled rows that had arrived: " + job)
			.isBetween(600L, 800L);
		String abTest = job.path("ab_test_id").asString();
		assertThat(abTest).as(job.toString()).isNotBlank();
		RegistryClient client = new RegistryClient(URI.create(registry.baseUrl()), null, Duration.ofSeconds(10));
		Bundle retrained = client.fetch(MODEL, "2", work.resolve("retrained"));
		assertThat(retrained.lineage().feedbackSnapshotDigest()).isEqualTo(job.path("snapshot").path("digest")
			.asString());

		// the A/B test on the router, fed by the grown traffic and its feedback, promotes the retrained version
		await().atMost(Duration.ofSeconds(60)).until(() -> get(inference.baseUrl() + "/v2/models/" + MODEL
				+ "/versions/2/ready") != null);
		JsonNode decided = null;
		for (int round = 0; round < 20 && decided == null; round++) {
			traffic(100, true, 10 + round);
			for (long deadline = System.nanoTime() + 3_000_000_000L; decided == null && System.nanoTime() < deadline;) {
				JsonNode test = get(router.baseUrl() + "/api/v1/ab-tests/" + abTest);
				if (test != null && !test.path("status").asString().equals("running")) {
					decided = test;
				}
				Thread.sleep(300);
			}
		}
		assertThat(decided).as("the A/B test decided within 2,000 requests").isNotNull();
		assertThat(decided.path("status").asString()).as(decided.toString()).isEqualTo("decided");
		JsonNode results = get(router.baseUrl() + "/api/v1/ab-tests/" + abTest + "/results");
		assertThat(results.path("decision").path("winner").asString()).as(results.toString()).isEqualTo("challenger");
		await().atMost(Duration.ofSeconds(30)).until(() -> client.find(MODEL, "champion").orElseThrow().version(),
				"2"::equals);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			JsonNode answer = post(inference.baseUrl() + "/v1/models/" + MODEL + ":predict",
					"{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 4.4, "
							+ "\"petal_width\": 1.2}]}", Map.of());
			return answer.path("model_version").asString().equals("2");
		});
	}

}
