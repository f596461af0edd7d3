package dev.flywheel.inference;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.MonitoringStub;
import dev.flywheel.inference.support.Scrape;
import dev.flywheel.inference.support.ServingFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The prediction log as monitoring receives it, from a stand-in for monitoring's {@code POST /api/v1/predictions}:
 * every answered row, in batches, carrying the ids, the version and the outputs the caller got; a slow monitoring or
 * a full buffer (bounded in rows) never holds a prediction back, and every row not shipped is counted as dropped.
 * Each test runs its own service against the shared fixture's registry (read only).
 */
class PredictionLogIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static ServingFixture fixture;

	@TempDir
	Path home;

	@BeforeAll
	static void fixture() throws Exception {
		fixture = ServingFixture.get();
	}

	@Test
	void everyAnsweredRowArrivesInBatchesWithItsIdVersionVariantFeaturesAndOutputs() throws Exception {
		try (MonitoringStub monitoring = MonitoringStub.start();
				InferenceServer server = serve(monitoring.url(), "batch-size", "4", "flush-interval", "200ms",
						"timeout", "30s")) {
			monitoring.hold();
			Instant before = Instant.now();
			List<Answer> answers = new ArrayList<>();
			answers.add(predict(server, "iris", "challenger", "blue", List.of(iris(5.1, 3.5, 1.4, 0.2),
					iris(6.7, 3.0, 5.2, 2.3), iris(5.9, 3.0, 4.2, 1.5))));
			answers.add(infer(server, "red", Map.of("variant", "green"), 6.3, 2.5, 6.0));
			answers.add(predict(server, "mixed", null, null, List.of(Map.of("size", 4.5, "garden", "kew"),
					Map.of("size", 7.5, "garden", "wisley"))));
			answers.add(infer(server, null, Map.of("variant", "green"), 4.4));
			monitoring.release();
			int rows = answers.stream().mapToInt(answer -> answer.ids().size()).sum();
			await().atMost(PATIENCE).until(() -> monitoring.rows().size() >= rows);
			Instant after = Instant.now();

			List<JsonNode> records = monitoring.rows();
			assertThat(records).hasSize(rows);
			assertThat(monitoring.posts()).as("posts").allSatisfy(post -> assertThat(MonitoringStub.rows(post).size())
				.as("rows in one post (flywheel.inference.prediction-log.batch-size)").isBetween(1, 4));
			assertThat(monitoring.posts()).as("posts").anySatisfy(post -> assertThat(answers.stream()
				.filter(answer -> MonitoringStub.rows(post).stream()
					.anyMatch(record -> answer.ids().contains(record.get("prediction_id").asString())))
				.count()).as("requests whose records share one post").isGreaterThan(1));
			Map<String, JsonNode> byId = new HashMap<>();
			records.forEach(record -> byId.put(record.get("prediction_id").asString(), record));
			assertThat(byId).as("one record per prediction id").hasSize(rows);
			for (Answer answer : answers) {
				for (int row = 0; row < answer.ids().size(); row++) {
					JsonNode record = byId.get(answer.ids().get(row));
					assertThat(record).as("the record of prediction " + answer.ids().get(row)).isNotNull();
					assertThat(record.get("model").asString()).isEqualTo(answer.model());
					assertThat(record.get("version").asString()).isEqualTo(answer.version());
					assertThat(record.has("variant") ? record.get("variant").asString() : null)
						.isEqualTo(answer.variant());
					assertThat(record.get("features")).isEqualTo(answer.features().get(row));
					assertThat(record.get("outputs").get("label").asString()).isEqualTo(answer.labels().get(row));
					assertThat(record.get("outputs").get("probabilities")).isEqualTo(answer.probabilities().get(row));
					assertThat(record.get("latency_ms").isNumber()).isTrue();
					assertThat(record.get("latency_ms").doubleValue()).isPositive();
					assertThat(Instant.parse(record.get("timestamp").asString())).isBetween(before, after);
				}
			}
			Scrape scrape = Scrape.of(server);
			assertThat(scrape.value("inference_prediction_log_sent_total", Map.of())).isEqualTo(rows);
			assertThat(scrape.value("inference_prediction_log_dropped_total", Map.of())).isZero();
		}
	}

	@Test
	void aMonitoringSlowerThanTheTimeoutDelaysNoPredictionAndEveryRecordIsCountedAsDropped() throws Exception {
		try (MonitoringStub monitoring = MonitoringStub.start();
				InferenceServer server = serve(monitoring.url(), "timeout", "300ms", "flush-interval", "100ms")) {
			monitoring.delay(Duration.ofSeconds(3));
			int requests = 30;
			for (int i = 0; i < requests; i++) {
				predict(server, "iris", null, null, List.of(iris(5.0 + i / 10.0, 3.0, 1.5, 0.2)));
			}
			await().atMost(PATIENCE)
				.until(() -> Scrape.of(server).value("inference_prediction_log_dropped_total", Map.of()) == requests);
			assertThat(Scrape.of(server).value("inference_prediction_log_sent_total", Map.of())).isZero();
			assertThat(monitoring.posts()).as("posts monitoring received but answered too late").isNotEmpty();
		}
	}

	@Test
	void aFullBufferDropsPredictionsInsteadOfDelayingThemAndCountsEachDroppedRow() throws Exception {
		try (MonitoringStub monitoring = MonitoringStub.start();
				InferenceServer server = serve(monitoring.url(), "buffer-capacity", "7", "batch-size", "1",
						"timeout", "30s")) {
			monitoring.hold();
			int requests = 30;
			int rowsEach = 3;
			Set<String> ids = new HashSet<>();
			for (int i = 0; i < requests; i++) {
				List<Map<String, Object>> rows = new ArrayList<>();
				for (int row = 0; row < rowsEach; row++) {
					rows.add(iris(5.0 + i / 10.0, 3.0, 1.5 + row / 10.0, 0.2));
				}
				ids.addAll(predict(server, "iris", null, null, rows).ids());
			}
			monitoring.release();
			int rows = requests * rowsEach;
			await().atMost(PATIENCE).until(() -> {
				Scrape scrape = Scrape.of(server);
				return scrape.value("inference_prediction_log_sent_total", Map.of())
						+ scrape.value("inference_prediction_log_dropped_total", Map.of()) == rows;
			});
			// kept: the request of the post monitoring held, and the two whose six rows fit in the buffer's seven
			Scrape scrape = Scrape.of(server);
			assertThat(scrape.value("inference_prediction_log_sent_total", Map.of())).isEqualTo(9);
			assertThat(scrape.value("inference_prediction_log_dropped_total", Map.of())).isEqualTo(rows - 9);
			List<JsonNode> records = monitoring.rows();
			assertThat(records).hasSize(9)
				.allSatisfy(record -> assertThat(ids).contains(record.get("prediction_id").asString()));
		}
	}

	/** What a caller got for its rows, as the prediction log should repeat it. */
	private record Answer(String model, String version, String variant, List<String> ids, List<JsonNode> features,
			List<String> labels, List<JsonNode> probabilities) {
	}

	/** The plain predict API: {@code instances} by feature name. */
	private static Answer predict(InferenceServer server, String model, String version, String variant,
			List<Map<String, Object>> instances) {
		JsonNode answer = server.client()
			.post()
			.uri("/v1/models/" + model + ":predict" + (version == null ? "" : "?version=" + version))
			.headers(headers -> {
				if (variant != null) {
					headers.set("X-Flywheel-Variant", variant);
				}
			})
			.bodyValue(Map.of("instances", instances))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		List<String> ids = new ArrayList<>();
		answer.get("prediction_ids").forEach(id -> ids.add(id.asString()));
		List<JsonNode> features = new ArrayList<>();
		instances.forEach(instance -> features.add(JSON.valueToTree(instance)));
		List<String> labels = new ArrayList<>();
		List<JsonNode> probabilities = new ArrayList<>();
		answer.get("predictions").forEach(prediction -> {
			labels.add(prediction.get("label").asString());
			probabilities.add(prediction.get("probabilities"));
		});
		return new Answer(model, answer.get("model_version").asString(), variant, ids, features, labels,
				probabilities);
	}

	/**
	 * The Open Inference Protocol, one input per feature, for iris rows whose other features are fixed; the variant
	 * from the header when given, else from the request's parameters.
	 */
	private static Answer infer(InferenceServer server, String headerVariant, Map<String, String> parameters,
			double... sepalLengths) {
		int rows = sepalLengths.length;
		List<Map<String, Object>> inputs = List.of(feature("sepal_length", sepalLengths),
				feature("sepal_width", fill(rows, 3.0)), feature("petal_length", fill(rows, 4.0)),
				feature("petal_width", fill(rows, 1.25)));
		JsonNode answer = server.client()
			.post()
			.uri("/v2/models/iris/infer")
			.headers(headers -> {
				if (headerVariant != null) {
					headers.set("X-Flywheel-Variant", headerVariant);
				}
			})
			.bodyValue(Map.of("inputs", inputs, "parameters", parameters))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode outputs = answer.get("outputs");
		assertThat(outputs.get(0).get("name").asString()).isEqualTo("label");
		assertThat(outputs.get(2).get("name").asString()).isEqualTo("prediction_id");
		List<String> ids = new ArrayList<>();
		outputs.get(2).get("data").forEach(id -> ids.add(id.asString()));
		List<JsonNode> features = new ArrayList<>();
		List<String> labels = new ArrayList<>();
		List<JsonNode> probabilities = new ArrayList<>();
		List<String> classes = List.of("setosa", "versicolor", "virginica");
		for (int row = 0; row < rows; row++) {
			features.add(JSON.valueToTree(iris(sepalLengths[row], 3.0, 4.0, 1.25)));
			labels.add(outputs.get(0).get("data").get(row).asString());
			ObjectNode byClass = JSON.createObjectNode();
			for (int c = 0; c < classes.size(); c++) {
				byClass.set(classes.get(c), outputs.get(1).get("data").get(row * classes.size() + c));
			}
			probabilities.add(byClass);
		}
		if (rows == 1) {
			assertThat(answer.get("parameters").get("prediction_id").asString()).isEqualTo(ids.get(0));
		}
		String variant = headerVariant != null ? headerVariant : parameters.get("variant");
		return new Answer("iris", answer.get("model_version").asString(), variant, ids, features, labels,
				probabilities);
	}

	private static Map<String, Object> feature(String name, double[] values) {
		return Map.of("name", name, "shape", List.of(values.length), "datatype", "FP64", "data", values);
	}

	private static double[] fill(int rows, double value) {
		double[] values = new double[rows];
		Arrays.fill(values, value);
		return values;
	}

	private static Map<String, Object> iris(double sepalLength, double sepalWidth, double petalLength,
			double petalWidth) {
		return Map.of("sepal_length", sepalLength, "sepal_width", sepalWidth, "petal_length", petalLength,
				"petal_width", petalWidth);
	}

	/** A service serving the fixture's models, shipping its prediction log to {@code monitoring}. */
	private InferenceServer serve(String monitoring, String... predictionLogSettings) {
		Map<String, String> settings = new HashMap<>(Map.of("flywheel.inference.models", "iris,mixed",
				"flywheel.monitoring.url", monitoring));
		for (int i = 0; i < predictionLogSettings.length; i += 2) {
			settings.put("flywheel.inference.prediction-log." + predictionLogSettings[i], predictionLogSettings[i + 1]);
		}
		return InferenceServer.start(home, fixture.registry.baseUrl(), settings).awaitReady();
	}

}
