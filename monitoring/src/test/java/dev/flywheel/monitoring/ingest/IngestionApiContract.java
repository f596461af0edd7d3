package dev.flywheel.monitoring.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.monitoring.MonitoringApplication;

import static dev.flywheel.monitoring.ingest.IngestBodies.JSON;
import static dev.flywheel.monitoring.ingest.IngestBodies.feedback;
import static dev.flywheel.monitoring.ingest.IngestBodies.feedbackEvent;
import static dev.flywheel.monitoring.ingest.IngestBodies.irisRecord;
import static dev.flywheel.monitoring.ingest.IngestBodies.predictions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingestion APIs on each database (a subclass each): the prediction log and the feedback stored and joined by
 * prediction id whichever comes first, posts taken again without harm, bad posts refused whole with every fault
 * named, bodies over the limit refused, and the retention applied.
 */
@SpringBootTest(classes = MonitoringApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "flywheel.monitoring.max-request-size=256KB")
abstract class IngestionApiContract {

	private static final Instant NOW = Instant.now();

	@LocalServerPort
	int port;

	@Autowired
	Retention retention;

	/** A connection per request: the server closes one after refusing a body over the limit unread. */
	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection())).baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private static List<String> ids(int n) {
		return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID().toString()).toList();
	}

	private JsonNode post(String path, String body, int status) {
		byte[] answer = client().post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JSON.readTree(answer);
	}

	private JsonNode get(String id, int status) {
		return JSON.readTree(client().get()
			.uri("/api/v1/predictions/" + id)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	@Test
	void storesThePredictionLogAndReadsEachPredictionBack() {
		List<String> first = ids(2);
		List<String> second = ids(1);
		JsonNode report = post("/api/v1/predictions", predictions(List.of(irisRecord("2", "v2", NOW, first),
				irisRecord("1", null, NOW.plusMillis(5), second))), 200);

		assertThat(report.path("received").asInt()).isEqualTo(3);
		assertThat(report.path("stored").asInt()).isEqualTo(3);
		assertThat(report.path("duplicates").asInt()).isZero();
		JsonNode b = get(first.get(1), 200);
		assertThat(b.path("model").asString()).isEqualTo("iris-species");
		assertThat(b.path("model_version").asString()).isEqualTo("2");
		assertThat(b.path("variant").asString()).isEqualTo("v2");
		assertThat(Instant.parse(b.path("predicted_at").asString())).isEqualTo(NOW.truncatedTo(
				ChronoUnit.MILLIS));
		assertThat(b.path("features").path("sepal_length").asDouble()).isEqualTo(5.1);
		assertThat(b.path("label").asString()).isEqualTo("virginica");
		assertThat(b.path("probabilities").path("virginica").asDouble()).isEqualTo(0.9);
		assertThat(b.has("feedback")).isFalse();
		assertThat(get(second.get(0), 200).has("variant")).isFalse();
	}

	@Test
	void aPostSentAgainStoresNothingTwiceAndKeepsTheFirst() {
		List<String> ids = ids(3);
		String body = predictions(List.of(irisRecord("2", "v2", NOW, ids)));
		post("/api/v1/predictions", body, 200);
		JsonNode again = post("/api/v1/predictions", predictions(List.of(irisRecord("3", "v3", NOW, ids),
				irisRecord("3", null, NOW, ids(1)))), 200);

		assertThat(again.path("received").asInt()).isEqualTo(4);
		assertThat(again.path("stored").asInt()).isEqualTo(1);
		assertThat(again.path("duplicates").asInt()).isEqualTo(3);
		assertThat(get(ids.get(0), 200).path("model_version").asString()).isEqualTo("2");
	}

	@Test
	void joinsFeedbackWithItsPredictionWhicheverComesFirst() {
		List<String> ids = ids(2);
		// feedback for the first before its prediction is logged
		JsonNode early = post("/api/v1/feedback", feedback(List.of(feedbackEvent(ids.get(0), "setosa", NOW))), 200);
		assertThat(early.path("stored").asInt()).isEqualTo(1);
		JsonNode waiting = get(ids.get(0), 200);
		assertThat(waiting.path("logged").asBoolean()).isFalse();
		assertThat(waiting.path("feedback").path("label").asString()).isEqualTo("setosa");

		post("/api/v1/predictions", predictions(List.of(irisRecord("2", "v2", NOW, ids))), 200);
		post("/api/v1/feedback", feedback(List.of(feedbackEvent(ids.get(1), "setosa", NOW))), 200);

		for (String id : ids) {
			JsonNode joined = get(id, 200);
			assertThat(joined.path("model_version").asString()).as(id).isEqualTo("2");
			assertThat(joined.path("feedback").path("label").asString()).as(id).isEqualTo("setosa");
			assertThat(joined.path("feedback").path("ab_test_id").asString()).as(id)
				.isEqualTo("0b1c6a8e-0000-4000-8000-000000000001");
		}
		// the router sending an event again after a failed post: the first stays
		JsonNode again = post("/api/v1/feedback", feedback(List.of(feedbackEvent(ids.get(1), "virginica", NOW))),
				200);
		assertThat(again.path("duplicates").asInt()).isEqualTo(1);
		assertThat(get(ids.get(1), 200).path("feedback").path("label").asString()).isEqualTo("setosa");
	}

	@Test
	void anUnknownIdIsNotFound() {
		assertThat(get(UUID.randomUUID().toString(), 404).path("error").asString()).contains("No prediction");
	}

	@Test
	void aPostWithAnyFaultIsRefusedWholeWithEveryFaultNamed() {
		List<String> good = ids(2);
		Map<String, Object> bad = irisRecord("2", null, NOW, ids(1));
		bad.put("timestamp", "soon");
		JsonNode problem = post("/api/v1/predictions", predictions(List.of(irisRecord("2", null, NOW, good), bad)),
				400);

		assertThat(problem.path("type").asString()).endsWith("/invalid-body");
		assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("predictions[1].timestamp");
		assertThat(problem.path("detail").asString()).contains("'soon' is not an ISO-8601 instant");
		get(good.get(0), 404);

		Map<String, Object> event = feedbackEvent(good.get(0), "setosa", NOW);
		event.remove("label");
		JsonNode refused = post("/api/v1/feedback", feedback(List.of(event)), 400);
		assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("feedback[0]");
		get(good.get(0), 404);

		assertThat(post("/api/v1/predictions", "{\"predictions\": [", 400).path("detail").asString())
			.contains("malformed JSON");
	}

	@Test
	void aBodyOverTheLimitIsRefused() {
		JsonNode problem = post("/api/v1/predictions", predictions(List.of(irisRecord("2", null, NOW, ids(4000)))),
				413);
		assertThat(problem.path("detail").asString()).contains("max-request-size");
	}

	@Test
	void rowsPastTheRetentionAreDeleted() {
		List<String> old = ids(2);
		List<String> fresh = ids(1);
		Instant longAgo = NOW.minus(Duration.ofDays(31));
		post("/api/v1/predictions", predictions(List.of(irisRecord("1", null, longAgo, old),
				irisRecord("1", null, NOW, fresh))), 200);
		post("/api/v1/feedback", feedback(List.of(feedbackEvent(old.get(0), "setosa", longAgo),
				feedbackEvent(fresh.get(0), "setosa", NOW))), 200);

		long deleted = retention.purge().block(Duration.ofSeconds(30));

		assertThat(deleted).isGreaterThanOrEqualTo(3);
		get(old.get(0), 404);
		get(old.get(1), 404);
		assertThat(get(fresh.get(0), 200).path("feedback").path("label").asString()).isEqualTo("setosa");
	}

}
