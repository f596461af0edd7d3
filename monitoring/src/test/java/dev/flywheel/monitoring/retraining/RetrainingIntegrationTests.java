package dev.flywheel.monitoring.retraining;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.monitoring.drifting.DriftMonitor;
import dev.flywheel.monitoring.support.IrisChampion;
import dev.flywheel.monitoring.support.MonitoringServer;
import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.monitoring.ingest.IngestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retraining with the real registry and the packaged training job: a champion trained from iris, labelled production
 * data logged and fed back, a manual trigger that exports the data as a snapshot, retrains from the champion's spec
 * with it, and makes the new version challenger with the snapshot in its lineage; triggers while a job runs and
 * during the cool-down launch nothing. Faults with stand-in commands for the training job: one that fails is retried
 * within the attempts, one that hangs is stopped at the time limit, and a job running while monitoring restarts is
 * followed to its end by the new monitoring.
 */
class RetrainingIntegrationTests {

	private static final String MODEL = "iris-species";

	private static RegistryProcess registry;

	@TempDir
	static Path work;

	@BeforeAll
	static void trainAChampion() throws Exception {
		registry = RegistryProcess.start(TestDatabases.newHome(), Map.of());
		IrisChampion.train(registry.baseUrl(), work, "{hidden: [{units: 8, activation: relu}]}",
				"{updater: adam, learning_rate: 0.02, epochs: 60, batch_size: 16}");
	}

	@AfterAll
	static void stopRegistry() throws InterruptedException {
		if (registry != null) {
			registry.close();
		}
	}


	private static MonitoringServer monitoring(String home, Map<String, String> more) {
		Map<String, String> properties = new HashMap<>(Map.of("flywheel.home", work.resolve(home).toString(),
				"flywheel.registry.url", registry.baseUrl(), "flywheel.monitoring.drift-interval", "1h",
				"flywheel.monitoring.retraining.training-jar", System.getProperty("training.jar"),
				"flywheel.monitoring.retraining.ab-test.enabled", "false",
				"flywheel.monitoring.retraining.retry-delay", "1s"));
		properties.putAll(more);
		return MonitoringServer.start(properties);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode post(MonitoringServer monitoring, String path, String body, int status) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl() + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
	}

	private static JsonNode job(MonitoringServer monitoring, String id) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
				+ "/api/v1/retraining/jobs/" + id)).GET());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static List<JsonNode> jobs(MonitoringServer monitoring) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(monitoring.baseUrl()
				+ "/api/v1/retraining/jobs?model=" + MODEL)).GET());
		List<JsonNode> jobs = new ArrayList<>();
		JSON.readTree(response.body()).path("jobs").forEach(jobs::add);
		return jobs;
	}

	private static JsonNode awaitEnd(MonitoringServer monitoring, String id, Duration within) {
		return await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> job(monitoring, id),
				job -> !List.of("preparing", "running").contains(job.path("status").asString()));
	}

	/** 60 iris rows logged as predicted by version 1, each with its true species as feedback. */
	private static void logLabelledTraffic(MonitoringServer monitoring) throws Exception {
		List<String> lines = Files.readAllLines(Path.of(System.getProperty("datasets.dir"), "iris.csv"));
		String[] header = lines.get(0).split(",");
		List<String> ids = new ArrayList<>();
		Map<String, List<Object>> features = new LinkedHashMap<>();
		List<String> species = new ArrayList<>();
		for (int row = 1; row <= 60; row++) {
			String[] values = lines.get(row * 2).split(",");
			ids.add(UUID.randomUUID().toString());
			for (int column = 0; column < header.length; column++) {
				if (header[column].equals("species")) {
					species.add(values[column]);
				}
				else {
					features.computeIfAbsent(header[column], c -> new ArrayList<>()).add(Double.parseDouble(values[column]));
				}
			}
		}
		Instant at = Instant.now();
		post(monitoring, "/api/v1/predictions", JSON.writeValueAsString(Map.of("predictions", List.of(Map.of(
				"model", MODEL, "version", "1", "timestamp", at.toString(), "prediction_ids", ids, "features",
				features, "outputs", Map.of("label", species))))), 200);
		List<Map<String, Object>> feedback = new ArrayList<>();
		for (int row = 0; row < ids.size(); row++) {
			feedback.add(Map.of("prediction_id", ids.get(row), "model", MODEL, "model_version", "1", "label",
					species.get(row), "predicted_at", at.toString(), "received_at", at.plusSeconds(30).toString()));
		}
		post(monitoring, "/api/v1/feedback", JSON.writeValueAsString(Map.of("feedback", feedback)), 200);
	}

	@Test
	void aManualTriggerRetrainsFromTheChampionWithTheLabelledDataAndMakesTheNewVersionChallenger() throws Exception {
		try (MonitoringServer monitoring = monitoring("loop", Map.of())) {
			logLabelledTraffic(monitoring);

			JsonNode launched = post(monitoring, "/api/v1/models/" + MODEL + "/retrain", "", 202);
			String id = launched.path("id").asString();
			assertThat(launched.path("reason").asString()).isEqualTo("manual");
			// a burst of triggers while it runs launches nothing more
			for (int i = 0; i < 5; i++) {
				assertThat(post(monitoring, "/api/v1/models/" + MODEL + "/retrain", "", 409).path("error").asString())
					.contains("one job per model at a time");
			}

			JsonNode ended = awaitEnd(monitoring, id, Duration.ofMinutes(5));
			assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("succeeded");
			assertThat(ended.path("base_version").asString()).isEqualTo("1");
			assertThat(ended.path("new_version").asString()).isEqualTo("2");
			assertThat(ended.path("snapshot").path("rows").asLong()).isEqualTo(60);
			String digest = ended.path("snapshot").path("digest").asString();
			assertThat(Files.readAllLines(work.resolve("loop/monitoring/snapshots/snapshot-" + digest + ".csv")))
				.hasSize(61)
				.first()
				.isEqualTo("sepal_length,sepal_width,petal_length,petal_width,species");

			RegistryClient client = new RegistryClient(URI.create(registry.baseUrl()), null, Duration.ofSeconds(10));
			assertThat(client.find(MODEL, "challenger").orElseThrow().version()).isEqualTo("2");
			assertThat(client.find(MODEL, "champion").orElseThrow().version()).isEqualTo("1");
			Bundle retrained = client.fetch(MODEL, "2", work.resolve("retrained"));
			assertThat(retrained.lineage().feedbackSnapshotDigest()).isEqualTo(digest);
			assertThat(retrained.lineage().parentVersion()).isEqualTo("1");

			// and during the cool-down, a burst launches nothing either
			for (int i = 0; i < 3; i++) {
				assertThat(post(monitoring, "/api/v1/models/" + MODEL + "/retrain", "", 409).path("error").asString())
					.contains("cooling down");
			}
			assertThat(jobs(monitoring)).hasSize(1);
		}
	}

	@Test
	void aFailingJobIsRetriedWithinTheAttemptsAndAHangingOneIsStoppedAtItsTimeLimit() throws Exception {
		try (MonitoringServer failing = monitoring("failing", Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,echo 'error: the training data is gone' >&2; exit 2,training",
				"flywheel.monitoring.retraining.max-attempts", "2"))) {
			String id = post(failing, "/api/v1/models/" + MODEL + "/retrain", "", 202).path("id").asString();
			JsonNode first = awaitEnd(failing, id, Duration.ofMinutes(1));
			assertThat(first.path("status").asString()).isEqualTo("failed");
			assertThat(first.path("exit_code").asInt()).isEqualTo(2);
			assertThat(first.path("detail").asString()).contains("the training data is gone");
			await().atMost(Duration.ofSeconds(30)).until(() -> jobs(failing).size() == 2
					&& jobs(failing).stream().noneMatch(j -> List.of("preparing", "running")
						.contains(j.path("status").asString())));
			JsonNode retry = jobs(failing).get(0);
			assertThat(retry.path("reason").asString()).isEqualTo("retry");
			assertThat(retry.path("attempt").asInt()).isEqualTo(2);
			assertThat(retry.path("status").asString()).isEqualTo("failed");
			Thread.sleep(3000);
			assertThat(jobs(failing)).as("no third attempt").hasSize(2);
		}
		try (MonitoringServer hanging = monitoring("hanging", Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,sleep 120,training", "flywheel.monitoring.retraining.time-limit", "2s",
				"flywheel.monitoring.retraining.max-attempts", "2"))) {
			String id = post(hanging, "/api/v1/models/" + MODEL + "/retrain", "", 202).path("id").asString();
			JsonNode ended = awaitEnd(hanging, id, Duration.ofSeconds(60));
			assertThat(ended.path("status").asString()).isEqualTo("timed_out");
			// tried again once, stopped at its limit too, and no more
			await().atMost(Duration.ofSeconds(60)).until(() -> jobs(hanging).size() == 2
					&& jobs(hanging).get(0).path("status").asString().equals("timed_out"));
			assertThat(jobs(hanging).get(0).path("reason").asString()).isEqualTo("retry");
			Thread.sleep(2000);
			assertThat(jobs(hanging)).hasSize(2);
		}
	}

	@Test
	void aJobRunningWhileMonitoringRestartsIsFollowedToItsEnd() throws Exception {
		Map<String, String> slow = Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,sleep 4; echo 'error: stopped on purpose' >&2; exit 3,training",
				"flywheel.monitoring.retraining.max-attempts", "1");
		String id;
		try (MonitoringServer first = monitoring("restart", slow)) {
			id = post(first, "/api/v1/models/" + MODEL + "/retrain", "", 202).path("id").asString();
			await().atMost(Duration.ofSeconds(30)).until(() -> job(first, id).path("status").asString(),
					"running"::equals);
		}
		try (MonitoringServer second = monitoring("restart", slow)) {
			JsonNode ended = awaitEnd(second, id, Duration.ofSeconds(60));
			assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("failed");
			assertThat(ended.path("exit_code").asInt()).isEqualTo(3);
			assertThat(ended.path("detail").asString()).contains("stopped on purpose");
		}
	}

	/** {@code rows} iris rows drawn with replacement, petal length shifted by {@code shift} cm, logged as version 1. */
	private static void logIrisDraws(MonitoringServer monitoring, int rows, double shift, long seed) throws Exception {
		List<String> lines = Files.readAllLines(Path.of(System.getProperty("datasets.dir"), "iris.csv"));
		String[] header = lines.get(0).split(",");
		SplittableRandom random = new SplittableRandom(seed);
		List<String> ids = new ArrayList<>();
		Map<String, List<Object>> features = new LinkedHashMap<>();
		List<String> species = new ArrayList<>();
		for (int row = 0; row < rows; row++) {
			String[] values = lines.get(1 + random.nextInt(lines.size() - 1)).split(",");
			ids.add(UUID.randomUUID().toString());
			for (int column = 0; column < header.length; column++) {
				if (header[column].equals("species")) {
					species.add(values[column]);
				}
				else {
					double value = Double.parseDouble(values[column]) + (header[column].equals("petal_length") ? shift : 0);
					features.computeIfAbsent(header[column], c -> new ArrayList<>()).add(value);
				}
			}
		}
		post(monitoring, "/api/v1/predictions", JSON.writeValueAsString(Map.of("predictions", List.of(Map.of(
				"model", MODEL, "version", "1", "timestamp", Instant.now().toString(), "prediction_ids", ids,
				"features", features, "outputs", Map.of("label", species))))), 200);
	}

	@Test
	void driftInTheChampionsTrafficTriggersOneRetrainingAndTrafficLikeTheTrainingDataNone() throws Exception {
		// one alarmed window fires; a window of 10 minutes holds the traffic logged here
		Map<String, String> longWindow = Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,echo 'error: a stand-in' >&2; exit 2,training", "flywheel.monitoring.retraining.max-attempts",
				"1", "flywheel.monitoring.retraining.triggers.drift-windows", "1",
				"flywheel.monitoring.retraining.triggers.drift-of", "1", "flywheel.monitoring.drift-window", "10m");
		try (MonitoringServer steady = monitoring("steady", longWindow)) {
			logIrisDraws(steady, 400, 0, 1);
			for (int look = 0; look < 3; look++) {
				steady.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));
			}
			JsonNode drift = JSON.readTree(send(HttpRequest.newBuilder(URI.create(steady.baseUrl()
					+ "/api/v1/models/" + MODEL + "/drift?version=1")).GET()).body()).path("versions").get(0);
			assertThat(drift.path("status").asString()).as(drift.toString()).isEqualTo("judged");
			assertThat(drift.path("alarm").asBoolean()).as(drift.toString()).isFalse();
			assertThat(jobs(steady)).as("traffic like the training data").isEmpty();
		}
		try (MonitoringServer drifting = monitoring("drifting", longWindow)) {
			logIrisDraws(drifting, 400, 0.9, 2);
			DriftMonitor monitor = drifting.bean(DriftMonitor.class);
			monitor.evaluate().block(Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(30)).until(() -> jobs(drifting).size() == 1);
			assertThat(jobs(drifting).get(0).path("reason").asString()).isEqualTo("drift");
			// the same drifting window judged again and again launches nothing more
			for (int look = 0; look < 3; look++) {
				monitor.evaluate().block(Duration.ofSeconds(60));
			}
			Thread.sleep(1000);
			assertThat(jobs(drifting)).hasSize(1);
		}
	}

	@Test
	void enoughNewLabelsTriggerARetrainingAndSoDoesTheSchedule() throws Exception {
		Map<String, String> standIn = Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,echo 'error: a stand-in' >&2; exit 2,training", "flywheel.monitoring.retraining.max-attempts",
				"1", "flywheel.monitoring.retraining.trigger-interval", "200ms");
		Map<String, String> labels = new HashMap<>(standIn);
		labels.put("flywheel.monitoring.retraining.triggers.new-labels", "50");
		try (MonitoringServer monitoring = monitoring("new-labels", labels)) {
			logLabelledTraffic(monitoring);
			await().atMost(Duration.ofSeconds(20)).until(() -> jobs(monitoring).size() == 1);
			assertThat(jobs(monitoring).get(0).path("reason").asString()).isEqualTo("new_labels");
			Thread.sleep(1500);
			assertThat(jobs(monitoring)).as("the cool-down holds the next trigger").hasSize(1);
		}
		Map<String, String> schedule = new HashMap<>(standIn);
		schedule.put("flywheel.monitoring.retraining.triggers.schedule", "3s");
		try (MonitoringServer monitoring = monitoring("schedule", schedule)) {
			logIrisDraws(monitoring, 10, 0, 3);
			Thread.sleep(1000);
			assertThat(jobs(monitoring)).as("not due yet").isEmpty();
			await().atMost(Duration.ofSeconds(20)).until(() -> jobs(monitoring).size() == 1);
			assertThat(jobs(monitoring).get(0).path("reason").asString()).isEqualTo("schedule");
		}
	}

	@Test
	void aDriftTriggerWaitsPendingForEnoughNewLabels() throws Exception {
		Map<String, String> settings = Map.of("flywheel.monitoring.retraining.command",
				"/bin/sh,-c,echo 'error: a stand-in' >&2; exit 2,training", "flywheel.monitoring.retraining.max-attempts",
				"1", "flywheel.monitoring.retraining.triggers.drift-windows", "1",
				"flywheel.monitoring.retraining.triggers.drift-of", "1", "flywheel.monitoring.drift-window", "10m",
				"flywheel.monitoring.retraining.triggers.min-labels", "50",
				"flywheel.monitoring.retraining.trigger-interval", "200ms");
		try (MonitoringServer waiting = monitoring("waiting", settings)) {
			logIrisDraws(waiting, 400, 0.9, 4);
			waiting.bean(DriftMonitor.class).evaluate().block(Duration.ofSeconds(60));
			Thread.sleep(1500);
			assertThat(jobs(waiting)).as("drift seen, but no label yet").isEmpty();

			logLabelledTraffic(waiting);
			await().atMost(Duration.ofSeconds(20)).until(() -> jobs(waiting).size() == 1);
			assertThat(jobs(waiting).get(0).path("reason").asString()).isEqualTo("drift");
		}
	}

}
