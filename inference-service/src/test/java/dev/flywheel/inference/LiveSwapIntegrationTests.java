package dev.flywheel.inference;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.inference.serving.ServedModels;
import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.TestModels;
import dev.flywheel.registry.support.RegistryProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * While a load generator keeps sending requests, {@code champion} moves to another version and back five times: no
 * request fails, and every answer names the version whose model actually computed it (the two versions' outputs
 * differ, so the outputs tell).
 */
class LiveSwapIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final float[][] ROWS = TestModels.IRIS_ROWS;

	@TempDir
	static Path home;

	private static RegistryProcess registry;

	private static InferenceServer server;

	private static Map<String, float[][]> expected;

	@BeforeAll
	static void serve() throws Exception {
		registry = RegistryProcess.start(Files.createDirectories(home.resolve("registry")), Map.of());
		Bundle one = TestModels.iris(home.resolve("bundles/1"), 21);
		Bundle two = TestModels.iris(home.resolve("bundles/2"), 22);
		String url = registry.baseUrl();
		TestModels.setAlias(url, "iris", "champion", TestModels.publish(url, "iris", one));
		TestModels.publish(url, "iris", two);
		expected = Map.of("1", TestModels.reference(one, ROWS), "2", TestModels.reference(two, ROWS));
		server = InferenceServer.start(home.resolve("inference"), url,
				Map.of("flywheel.inference.models", "iris", "flywheel.monitoring.url", "http://127.0.0.1:9"))
			.awaitReady();
	}

	@AfterAll
	static void stop() throws Exception {
		server.close();
		registry.close();
	}

	@Test
	void movingTheChampionUnderLoadFailsNoRequestAndEveryAnswerNamesTheVersionThatComputedIt() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		AtomicBoolean running = new AtomicBoolean(true);
		List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		Map<String, AtomicInteger> answersByVersion = new ConcurrentHashMap<>();
		Streak recent = new Streak();
		ExecutorService load = Executors.newFixedThreadPool(8);
		List<Future<?>> workers = new ArrayList<>();
		for (int worker = 0; worker < 8; worker++) {
			int offset = worker;
			workers.add(load.submit(() -> {
				int sent = offset;
				while (running.get()) {
					int row = sent++ % ROWS.length;
					try {
						HttpResponse<String> response = http.send(request(row), HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200) {
							failures.add("HTTP " + response.statusCode() + ": " + response.body());
							continue;
						}
						JsonNode answer = JSON.readTree(response.body());
						String version = answer.get("model_version").asString();
						JsonNode probabilities = answer.get("outputs").get(1).get("data");
						float[] wanted = expected.get(version)[row];
						for (int c = 0; c < 3; c++) {
							if (Math.abs(probabilities.get(c).floatValue() - wanted[c]) > 1e-6) {
								failures.add("version " + version + " named, but row " + row + " got " + probabilities);
							}
						}
						answersByVersion.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
						recent.saw(version);
					}
					catch (Exception ex) {
						failures.add(ex.toString());
					}
				}
			}));
		}

		for (int swap = 0; swap < 5; swap++) {
			for (String version : List.of("2", "1")) {
				TestModels.setAlias(registry.baseUrl(), "iris", "champion", version);
				// requests in flight at the swap may still answer with the old version; then only the new one does
				await().atMost(Duration.ofSeconds(30)).until(() -> recent.streakOf(version) >= 100);
			}
		}
		running.set(false);
		for (Future<?> worker : workers) {
			worker.get();
		}
		load.shutdown();

		assertThat(failures).isEmpty();
		assertThat(answersByVersion.keySet()).containsExactlyInAnyOrder("1", "2");
		assertThat(answersByVersion.values().stream().mapToInt(AtomicInteger::get).sum()).isGreaterThan(100);
		// the version swapped out for the last time is released once its requests are answered
		await().atMost(Duration.ofSeconds(30))
			.until(() -> server.bean(ServedModels.class).get("iris").versionsInMemory() == 1);
		assertThat(expected.get("1")[0][0]).isNotCloseTo(expected.get("2")[0][0], within(1e-3f));
	}

	/** How many answers in a row named the same version. */
	private static final class Streak {

		private String version;

		private int length;

		synchronized void saw(String answered) {
			length = answered.equals(version) ? length + 1 : 1;
			version = answered;
		}

		synchronized int streakOf(String wanted) {
			return wanted.equals(version) ? length : 0;
		}

	}

	private static HttpRequest request(int row) {
		float[] values = ROWS[row];
		String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[" + values[0]
				+ "," + values[1] + "," + values[2] + "," + values[3] + "]}]}";
		return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/models/iris/infer"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

}
