package dev.flywheel.router.feedback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import dev.flywheel.router.routing.RecordedTraffic;
import dev.flywheel.router.routing.TrafficRecorder;
import dev.flywheel.router.support.MonitoringStub;
import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterServer;
import dev.flywheel.router.support.TestRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Feedback on two router replicas sharing one database, run on each database by a subclass: predictions recorded by
 * one replica (in batches when their ids are version 7 UUIDs, one row each otherwise) are found by both; feedback for
 * the same prediction sent to both at once is taken once, the first winning, its reward added once; the hourly purge
 * forgets predictions and their feedback. The tests run in order on one A/B test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FeedbackReplicasContract {

	private static final int ROUNDS = 20;

	private static MonitoringStub monitoring;

	private static RouterServer replicaA;

	private static RouterServer replicaB;

	private static String model;

	private static String testId;

	/** Starts the replicas, each with the properties of its database, and the A/B test they route. */
	static void start(Map<String, String> databaseA, Map<String, String> databaseB) {
		monitoring = MonitoringStub.start();
		replicaA = RouterServer.start(properties(databaseA));
		replicaB = RouterServer.start(properties(databaseB));
		model = TestRegistry.model("replicas", 2);
		Answer created = replicaA.calls().post("/api/v1/ab-tests", """
				{"model": "%s",
				 "variants": [{"name": "one", "version": "1", "weight": 1}, {"name": "two", "version": "2", "weight": 1}],
				 "reward": {"kind": "label"}, "min_samples": 1000000, "action": "report"}""".formatted(model), Map.of());
		assertThat(created.status()).isEqualTo(201);
		testId = created.body().path("id").asString();
	}

	private static Map<String, String> properties(Map<String, String> database) {
		Map<String, String> properties = new HashMap<>(RouterServer.FAST);
		properties.putAll(database);
		properties.put("flywheel.registry.url", TestRegistry.url());
		properties.put("flywheel.monitoring.url", monitoring.url());
		return properties;
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { replicaA, replicaB, monitoring }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// the next one is still closed
			}
		}
	}

	/** A version 7 UUID as the inference service makes them, made now. */
	private static String timeOrderedId() {
		UUID random = UUID.randomUUID();
		return new UUID((System.currentTimeMillis() << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL),
				(random.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
	}

	private static String feedback(List<String> ids, List<String> labels) {
		StringBuilder json = new StringBuilder("[");
		for (int i = 0; i < ids.size(); i++) {
			json.append(i == 0 ? "" : ", ")
				.append("{\"prediction_id\": \"").append(ids.get(i)).append("\", \"label\": \"").append(labels.get(i))
				.append("\"}");
		}
		return json.append(']').toString();
	}

	private static Set<String> strings(JsonNode array) {
		Set<String> strings = new HashSet<>();
		array.forEach(node -> strings.add(node.asString()));
		return strings;
	}

	@Test
	@Order(1)
	void feedbackRacingOnTwoReplicasIsTakenOnceTheFirstWinning() throws Exception {
		// per round: six predictions of replica A, labelled "setosa"; the first three get the same label on both
		// replicas at once, the last three a different one on each (A: the right one, B: a wrong one)
		Map<String, Double> expectedReward = new HashMap<>();
		Map<String, String> expectedLabel = new HashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			List<String> ids = List.of(timeOrderedId(), timeOrderedId(), "client-" + round + "-a", timeOrderedId(),
					timeOrderedId(), "client-" + round + "-b");
			RecordedTraffic.record(replicaA, model, "1", ids, List.of("setosa", "setosa", "setosa", "setosa",
					"setosa", "setosa"));
			List<String> same = List.of("setosa", "virginica", "setosa");
			List<String> labelsA = new ArrayList<>(same);
			labelsA.addAll(List.of("setosa", "setosa", "setosa"));
			List<String> labelsB = new ArrayList<>(same);
			labelsB.addAll(List.of("versicolor", "versicolor", "versicolor"));

			CountDownLatch ready = new CountDownLatch(2);
			CompletableFuture<Answer> onA = CompletableFuture.supplyAsync(() -> {
				ready.countDown();
				awaitQuietly(ready);
				return replicaA.calls().feedback(feedback(ids, labelsA));
			});
			CompletableFuture<Answer> onB = CompletableFuture.supplyAsync(() -> {
				ready.countDown();
				awaitQuietly(ready);
				return replicaB.calls().feedback(feedback(ids, labelsB));
			});
			JsonNode a = onA.get().body();
			JsonNode b = onB.get().body();

			assertThat(a.path("accepted").asInt() + b.path("accepted").asInt()).as("round %d", round).isEqualTo(6);
			assertThat(a.path("already_recorded").asInt() + b.path("already_recorded").asInt()).isEqualTo(3);
			assertThat(a.path("unknown")).isEmpty();
			assertThat(b.path("unknown")).isEmpty();
			assertThat(a.path("expired")).isEmpty();
			assertThat(b.path("expired")).isEmpty();
			Set<String> lostByA = strings(a.path("conflicting"));
			Set<String> lostByB = strings(b.path("conflicting"));
			Set<String> conflicts = new HashSet<>(lostByA);
			conflicts.addAll(lostByB);
			assertThat(conflicts).hasSize(lostByA.size() + lostByB.size())
				.containsExactlyInAnyOrderElementsOf(ids.subList(3, 6));
			for (int i = 0; i < 6; i++) {
				boolean aWon = i < 3 || lostByB.contains(ids.get(i));
				String label = aWon ? labelsA.get(i) : labelsB.get(i);
				expectedLabel.put(ids.get(i), label);
				expectedReward.put(ids.get(i), label.equals("setosa") ? 1.0 : 0.0);
			}
		}

		// each prediction reaches monitoring once, with the feedback that won
		int predictions = ROUNDS * 6;
		await().atMost(Duration.ofSeconds(10)).until(() -> monitoring.feedback().size() >= predictions);
		Thread.sleep(500);
		List<JsonNode> forwarded = monitoring.feedback();
		assertThat(forwarded).hasSize(predictions);
		Map<String, String> forwardedLabel = new HashMap<>();
		forwarded.forEach(event -> forwardedLabel.put(event.path("prediction_id").asString(),
				event.path("label").asString()));
		assertThat(forwardedLabel).isEqualTo(expectedLabel);

		// the rewards were added once each, the winner's
		JsonNode variants = replicaB.calls().get("/api/v1/ab-tests/" + testId + "/results").body()
			.path("look").path("variants");
		long rewards = 0;
		long feedbackEvents = 0;
		double rewardSum = 0;
		for (JsonNode variant : variants) {
			rewards += variant.path("rewards").asLong();
			feedbackEvents += variant.path("feedback").asLong();
			rewardSum += variant.path("rewards").asLong() == 0 ? 0
					: variant.path("rewards").asLong() * variant.path("reward_mean").asDouble();
		}
		assertThat(rewards).isEqualTo(predictions);
		assertThat(feedbackEvents).isEqualTo(predictions);
		assertThat(rewardSum).isCloseTo(expectedReward.values().stream().mapToDouble(Double::doubleValue).sum(),
				Offset.offset(1e-6));
	}

	@Test
	@Order(2)
	void idsOfEveryKindAreFoundOnEitherReplicaAndOthersAreUnknown() {
		String timeOrdered = timeOrderedId();
		String clients = "client-" + UUID.randomUUID().toString().substring(0, 8);
		String version4 = UUID.randomUUID().toString();
		String upperCase = timeOrderedId().toUpperCase();
		List<String> ids = List.of(timeOrdered, clients, version4, upperCase);
		RecordedTraffic.record(replicaA, model, "2", ids, List.of("setosa", "setosa", "setosa", "setosa"));

		Answer taken = replicaB.calls().feedback(feedback(ids, List.of("setosa", "setosa", "virginica", "setosa")));
		assertThat(taken.status()).isEqualTo(200);
		assertThat(taken.body().path("accepted").asInt()).isEqualTo(4);

		Answer again = replicaA.calls().feedback(feedback(ids, List.of("setosa", "setosa", "virginica", "virginica")));
		assertThat(again.body().path("already_recorded").asInt()).isEqualTo(3);
		assertThat(strings(again.body().path("conflicting"))).containsExactly(upperCase);

		// an id of the same millisecond as a recorded one, the same id in upper case, another client's id
		String sameMillisecond = timeOrdered.substring(0, 19) + (timeOrdered.charAt(19) == 'a' ? "b" : "a")
				+ timeOrdered.substring(20);
		Answer unknown = replicaA.calls().feedback(feedback(List.of(sameMillisecond, timeOrdered.toUpperCase(),
				"client-never-seen"), List.of("setosa", "setosa", "setosa")));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(strings(unknown.body().path("unknown"))).containsExactlyInAnyOrder(sameMillisecond,
				timeOrdered.toUpperCase(), "client-never-seen");
	}

	@Test
	@Order(3)
	void thePurgeForgetsOldPredictionsAndTheirFeedback() {
		String timeOrdered = timeOrderedId();
		List<String> ids = List.of(timeOrdered, "client-purged");
		RecordedTraffic.record(replicaA, model, "1", ids, List.of("setosa", "setosa"));
		Answer taken = replicaA.calls().feedback(feedback(ids, List.of("setosa", "setosa")));
		assertThat(taken.body().path("accepted").asInt()).isEqualTo(2);
		FeedbackStore store = replicaB.bean(FeedbackStore.class);

		long now = System.currentTimeMillis();
		assertThat(store.forget(now - 3_600_000).block(Duration.ofSeconds(30))).isZero();
		Answer kept = replicaA.calls().feedback(feedback(ids, List.of("setosa", "setosa")));
		assertThat(kept.body().path("already_recorded").asInt()).isEqualTo(2);

		// every prediction recorded by the tests so far: 6 a round, 4 and 2
		assertThat(store.forget(now + 60_000).block(Duration.ofSeconds(30))).isEqualTo(ROUNDS * 6 + 4 + 2);
		Answer gone = replicaA.calls().feedback(feedback(ids, List.of("setosa", "versicolor")));
		assertThat(gone.status()).isEqualTo(404);
		assertThat(strings(gone.body().path("unknown"))).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	@Order(4)
	void feedbackRightAfterAPredictionFindsItWhileAFlushIsWritingIt() {
		TrafficRecorder recorder = replicaA.bean(TrafficRecorder.class);
		for (int round = 0; round < 20; round++) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				ids.add("late-" + round + "-" + i);
			}
			RecordedTraffic.answered(replicaA, model, "1", ids, Collections.nCopies(ids.size(), "setosa"));
			// the periodic flush takes the predictions and is still writing them when their feedback comes
			recorder.flush().subscribe();
			Answer taken = replicaA.calls().feedback(feedback(ids.subList(1999, 2000), List.of("setosa")));
			assertThat(taken.status()).as("round %d: %s", round, taken.text()).isEqualTo(200);
			assertThat(taken.body().path("accepted").asInt()).isEqualTo(1);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
