package dev.flywheel.inference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.MonitoringStub;
import dev.flywheel.inference.support.Oip;
import dev.flywheel.inference.support.Scrape;
import dev.flywheel.inference.support.ServingFixture;

import dev.flywheel.support.testing.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * After a known mix of answered and refused requests, {@code /actuator/prometheus} counts each by model, version and
 * outcome, holds the latency and batch histograms and the loading meters, and passes {@code promtool check metrics}.
 * Its own service (monitoring down, so every logged record is dropped) serves the shared fixture's registry.
 */
class MetricsIntegrationTests {

	private static final Map<String, String> IRIS_1 = Map.of("model", "iris", "version", "1");

	private static final Map<String, String> IRIS_2 = Map.of("model", "iris", "version", "2");

	/** Rows answered: three requests of three rows by version 1, two by version 2. */
	private static final int ROWS_1 = 3 * Oip.ROWS.length;

	private static final int ROWS_2 = 2 * Oip.ROWS.length;

	@TempDir
	static Path home;

	private static InferenceServer server;

	@BeforeAll
	static void serveAndAsk() throws Exception {
		ServingFixture fixture = ServingFixture.get();
		server = InferenceServer.start(home, fixture.registry.baseUrl(),
				Map.of("flywheel.inference.models", "iris,mixed", "flywheel.monitoring.url",
						MonitoringStub.unreachableUrl(), "flywheel.inference.prediction-log.flush-interval", "100ms"))
			.awaitReady();
		for (int i = 0; i < 3; i++) {
			assertStatus(Oip.infer(server, "/v2/models/iris/infer").getStatus().value(), 200);
		}
		for (int i = 0; i < 2; i++) {
			assertStatus(Oip.infer(server, "/v2/models/iris/versions/challenger/infer").getStatus().value(), 200);
		}
		for (int i = 0; i < 2; i++) {
			assertStatus(post("/v1/models/iris:predict", "{\"instances\": [{\"sepal_length\": 5.1}]}"), 400);
		}
		assertStatus(post("/v1/models/iris:predict", "{\"instances\": "), 400);
		assertStatus(Oip.infer(server, "/v2/models/iris/versions/7/infer").getStatus().value(), 404);
		assertStatus(Oip.infer(server, "/v2/models/nosuch/infer").getStatus().value(), 404);
		assertStatus(post("/v1/models/mixed:predict?version=challenger", "{\"instances\": []}"), 503);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void requestsAreCountedByModelVersionAndOutcome() {
		Scrape scrape = Scrape.of(server);
		assertThat(scrape.value("inference_requests_total", with(IRIS_1, "outcome", "success"))).isEqualTo(3);
		assertThat(scrape.value("inference_requests_total", with(IRIS_2, "outcome", "success"))).isEqualTo(2);
		assertThat(scrape.value("inference_requests_total", with(IRIS_1, "outcome", "bad_request"))).isEqualTo(2);
		assertThat(scrape.value("inference_requests_total",
				Map.of("model", "iris", "version", "none", "outcome", "bad_request"))).isEqualTo(1);
		assertThat(scrape.value("inference_requests_total",
				Map.of("model", "iris", "version", "none", "outcome", "not_found"))).isEqualTo(1);
		assertThat(scrape.value("inference_requests_total",
				Map.of("model", "unknown", "version", "none", "outcome", "not_found"))).isEqualTo(1);
		assertThat(scrape.value("inference_requests_total",
				Map.of("model", "mixed", "version", "none", "outcome", "unavailable"))).isEqualTo(1);
		assertThat(scrape.samples("inference_requests_total", Map.of()).stream().mapToDouble(Scrape.Sample::value)
			.sum()).as("every request counted once").isEqualTo(11);
	}

	@Test
	void latenciesAreHistogramsOfTheAnsweredRequests() {
		Scrape scrape = Scrape.of(server);
		for (String histogram : List.of("inference_request_duration_seconds", "inference_queue_duration_seconds",
				"inference_compute_duration_seconds")) {
			assertThat(scrape.value(histogram + "_count", IRIS_1)).as(histogram).isEqualTo(3);
			assertThat(scrape.value(histogram + "_count", IRIS_2)).as(histogram).isEqualTo(2);
			assertThat(scrape.value(histogram + "_bucket", with(IRIS_1, "le", "+Inf"))).as(histogram).isEqualTo(3);
			assertThat(scrape.samples(histogram + "_bucket", IRIS_1)).as(histogram + " buckets").hasSizeGreaterThan(10);
			assertThat(scrape.value(histogram + "_sum", IRIS_1)).as(histogram).isPositive();
		}
		assertThat(scrape.value("inference_request_duration_seconds_sum", IRIS_1))
			.as("a request takes at least its computation")
			.isGreaterThanOrEqualTo(scrape.value("inference_compute_duration_seconds_sum", IRIS_1));
	}

	@Test
	void batchRowsCountEveryRowComputed() {
		Scrape scrape = Scrape.of(server);
		assertThat(scrape.value("inference_batch_rows_sum", IRIS_1)).isEqualTo(ROWS_1);
		assertThat(scrape.value("inference_batch_rows_sum", IRIS_2)).isEqualTo(ROWS_2);
		double batches = scrape.value("inference_batch_rows_count", IRIS_1);
		assertThat(batches).isBetween(1.0, 3.0);
		assertThat(scrape.value("inference_batch_rows_bucket", with(IRIS_1, "le", "+Inf"))).isEqualTo(batches);
		assertThat(scrape.value("inference_batch_rows_bucket", with(IRIS_1, "le", "2.0"))).isZero();
	}

	@Test
	void loadedVersionsAndLoadTimesAreExposed() {
		Scrape scrape = Scrape.of(server);
		assertThat(scrape.value("inference_loaded_versions", Map.of("model", "iris"))).isEqualTo(2);
		assertThat(scrape.value("inference_loaded_versions", Map.of("model", "mixed"))).isEqualTo(1);
		assertThat(scrape.value("inference_model_load_duration_seconds_count", Map.of("model", "iris"))).isEqualTo(2);
		assertThat(scrape.value("inference_model_load_duration_seconds_count", Map.of("model", "mixed"))).isEqualTo(1);
		assertThat(scrape.value("inference_model_load_duration_seconds_sum", Map.of("model", "iris"))).isPositive();
		assertThat(scrape.valueOrZero("inference_model_load_failures_total", Map.of("model", "iris"))).isZero();
	}

	@Test
	void everyPredictionLogRecordMonitoringCouldNotTakeIsCountedAsDropped() {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Scrape.of(server).value("inference_prediction_log_dropped_total", Map.of()) == ROWS_1 + ROWS_2);
		assertThat(Scrape.of(server).value("inference_prediction_log_sent_total", Map.of())).isZero();
	}

	@Test
	void promtoolFindsNoProblemInTheExposition() throws Exception {
		Path promtool = ExternalTool.require("promtool", "prometheus", "the metrics exposition cannot be checked");
		Scrape scrape = Scrape.of(server);
		assertThat(scrape.samples("process_cpu_time_seconds_total", Map.of())).as("CPU time, in seconds").hasSize(1);
		assertThat(scrape.samples("system_cpus", Map.of())).as("processors").hasSize(1);
		String exposition = scrape.text();
		Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
		try (var in = check.getOutputStream()) {
			in.write(exposition.getBytes(StandardCharsets.UTF_8));
		}
		String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(report).as("promtool check metrics").isEmpty();
		assertThat(check.exitValue()).as("promtool's exit code; it said: " + report).isZero();
	}


	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> more = new HashMap<>(labels);
		more.put(name, value);
		return more;
	}

	private static int post(String path, String body) {
		return server.client()
			.post()
			.uri(path)
			.header("Content-Type", "application/json")
			.bodyValue(body)
			.exchange()
			.returnResult(byte[].class)
			.getStatus()
			.value();
	}

	private static void assertStatus(int actual, int expected) {
		assertThat(actual).isEqualTo(expected);
	}

}
