package dev.flywheel.router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.flywheel.registry.support.TestDatabases;
import dev.flywheel.router.routing.RunningTests;
import dev.flywheel.router.support.DigitsRows;
import dev.flywheel.router.support.DigitsStack;
import dev.flywheel.router.support.RouterCalls;
import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterCalls.Routed;
import dev.flywheel.router.support.RouterServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sticky assignment as clients of several replicas see it, on real services (the shared digits stack: versions 1 and
 * 2, named by number since the end-to-end test moves the aliases) and two router replicas sharing one fresh PostgreSQL
 * database. The tests run in order on one A/B test with variants {@code a} (champion) and {@code b} (challenger):
 * <ol>
 * <li>both replicas give each of {@value #UNITS} units the same variant;</li>
 * <li>a replica restarted on the same database gives each unit the variant it had;</li>
 * <li>units of one variant asking again and again are still counted once each, across both replicas: the sample
 * ratio check sees the split of the units, not a mismatch in the requests;</li>
 * <li>a ramp from 50/50 to 20/80 moves units only from {@code a} into {@code b}, some of them, alike on both
 * replicas, and a replica restarted after the ramp (replaying the weight history) agrees.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StickinessIntegrationTests {

	private static final String MODEL = "digits";

	private static final String TESTS = "/api/v1/ab-tests";

	private static final int UNITS = 300;

	private static final List<DigitsRows.Row> ROWS = DigitsRows.first(20);

	@TempDir
	static Path home;

	private static DigitsStack stack;

	private static Map<String, String> properties;

	private static RouterServer replicaA;

	private static RouterServer replicaB;

	private static String testId;

	/** The variant of the unit that probed replica B until it routed the test (one request in the test). */
	private static String probeVariant;

	/** Each unit's variant before the ramp, as replica A first gave it. */
	private static final Map<String, String> before = new LinkedHashMap<>();

	@BeforeAll
	static void start() throws Exception {
		stack = DigitsStack.shared();
		String database = TestDatabases.createPostgresDatabase();
		properties = new HashMap<>(RouterServer.FAST);
		properties.put("spring.r2dbc.url", TestDatabases.r2dbcUrl(database));
		properties.put("flywheel.registry.url", stack.registryUrl());
		properties.put("flywheel.inference.url", stack.inference().baseUrl());
		properties.put("flywheel.inference.models", MODEL);
		properties.put("flywheel.monitoring.enabled", "false");
		// one after the other: the first creates the schema
		replicaA = replica("a");
		replicaB = replica("b");
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { replicaA, replicaB }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	@Order(1)
	void bothReplicasGiveEachUnitTheSameVariant() {
		Answer created = replicaA.calls().post(TESTS, """
				{"model": "digits",
				 "variants": [{"name": "a", "version": "1", "weight": 50}, {"name": "b", "version": "2", "weight": 50}],
				 "reward": {"kind": "label"}, "min_samples": 1000000, "action": "report"}""", Map.of());
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		testId = created.body().path("id").asString();

		// replica B reads the running tests every 200 ms: it routes the test soon, without being told
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			Routed probe = replicaB.calls().predict(MODEL, "probe", ROWS.get(0));
			probeVariant = probe.variant();
			return testId.equals(probe.testId());
		});

		before.putAll(variants(replicaA, "replica A"));
		assertThat(variants(replicaB, "replica B")).as("replica B, unit by unit").isEqualTo(before);
		long inB = before.values().stream().filter("b"::equals).count();
		assertThat(inB).as("units in b out of " + UNITS + " at 50/50").isBetween(100L, 200L);
	}

	@Test
	@Order(2)
	void aRestartedReplicaGivesEachUnitTheVariantItHad() {
		replicaA.close();
		replicaA = replica("a");
		assertThat(variants(replicaA, "replica A, restarted")).as("replica A after its restart, unit by unit")
			.isEqualTo(before);
	}

	@Test
	@Order(3)
	void unitsAskingAgainAndAgainAreCountedOnceForTheSampleRatioCheck() {
		// every unit of b asks five times more, on both replicas: b has about 5x the requests of a, but its units
		// are as many as they were; a check counting requests would end the test as invalid at once
		List<String> unitsOfB = before.keySet().stream().filter(unit -> before.get(unit).equals("b")).toList();
		for (int round = 0; round < 5; round++) {
			RouterServer replica = (round % 2 == 0) ? replicaA : replicaB;
			for (String unit : unitsOfB) {
				assertThat(replica.calls().predict(MODEL, unit, ROWS.get(round)).variant()).isEqualTo("b");
			}
		}
		long unitsInB = unitsOfB.size();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			JsonNode look = replicaA.calls().get(TESTS + "/" + testId + "/results").body().path("look");
			Map<String, Long> units = new HashMap<>();
			Map<String, Long> requests = new HashMap<>();
			look.path("variants").forEach(variant -> {
				units.put(variant.path("name").asString(), variant.path("units").asLong());
				requests.put(variant.path("name").asString(), variant.path("assignments").asLong());
			});
			long probeInB = probeVariant.equals("b") ? 1 : 0;
			assertThat(units).as("distinct units per variant, summed over both replicas and a restart")
				.isEqualTo(Map.of("a", UNITS - unitsInB + 1 - probeInB, "b", unitsInB + probeInB));
			// each unit on A and on B, again on A after its restart, then b's units 5 times more; and the probe
			assertThat(requests.get("b")).isEqualTo(3 * unitsInB + 5 * unitsInB + probeInB);
			assertThat(look.path("sample_ratio").path("mismatch").asBoolean()).as(look.toString()).isFalse();
		});
		// the router looks at the test every 300 ms: it stays running
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(
				() -> replicaA.calls().get(TESTS + "/" + testId).body().path("status").asString().equals("running"));
	}

	@Test
	@Order(4)
	void aRampMovesUnitsOnlyIntoTheGrowingVariantOnBothReplicas() {
		Answer ramped = replicaA.calls().patch(TESTS + "/" + testId, "{\"weights\": {\"a\": 20, \"b\": 80}}");
		assertThat(ramped.status()).as(ramped.text()).isEqualTo(200);
		// the replica that made the change reads it again at once, but asynchronously: read it here to be sure
		replicaA.bean(RunningTests.class).refresh().block(Duration.ofSeconds(10));

		Map<String, String> afterA = variants(replicaA, "replica A, ramped");
		assertRampMovedOnlyIntoB(afterA, "replica A");

		// replica B takes the new weights from its own refresh: a unit that moved on A moves on B
		String moved = afterA.keySet().stream().filter(unit -> !afterA.get(unit).equals(before.get(unit))).findFirst()
			.orElseThrow();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> "b".equals(replicaB.calls().predict(MODEL, moved, ROWS.get(0)).variant()));
		assertThat(variants(replicaB, "replica B, ramped")).as("replica B after the ramp, unit by unit")
			.isEqualTo(afterA);

		// a replica started after the ramp replays the weight history (50/50, then 20/80) to the same split
		replicaB.close();
		replicaB = replica("b");
		assertThat(variants(replicaB, "replica B, restarted after the ramp"))
			.as("replica B restarted after the ramp, unit by unit")
			.isEqualTo(afterA);

		Answer test = replicaA.calls().get(TESTS + "/" + testId);
		assertThat(test.body().path("status").asString()).isEqualTo("running");
	}

	private static void assertRampMovedOnlyIntoB(Map<String, String> after, String replica) {
		assertThat(after.keySet()).isEqualTo(before.keySet());
		int stayedInB = 0;
		int movedIntoB = 0;
		int stayedInA = 0;
		for (String unit : before.keySet()) {
			String was = before.get(unit);
			String is = after.get(unit);
			if (was.equals("b")) {
				assertThat(is).as(replica + ": " + unit + " was in the growing variant b").isEqualTo("b");
				stayedInB++;
			}
			else if (is.equals("b")) {
				movedIntoB++;
			}
			else {
				stayedInA++;
			}
		}
		// a falls from 5000 to 2000 buckets: about 60% of its units move to b
		int wasInA = movedIntoB + stayedInA;
		assertThat(movedIntoB).as(replica + ": units moved from a into b (of " + wasInA + " in a)")
			.isBetween((int) (wasInA * 0.4), (int) (wasInA * 0.8));
		assertThat(stayedInA).as(replica + ": units left in a").isPositive();
		assertThat(stayedInB + movedIntoB + stayedInA).isEqualTo(UNITS);
	}

	/** Each unit's variant on {@code replica}, checking that the variant's version answered. */
	private static Map<String, String> variants(RouterServer replica, String name) {
		RouterCalls calls = replica.calls();
		Map<String, String> variants = new LinkedHashMap<>();
		for (int unit = 0; unit < UNITS; unit++) {
			Routed answer = calls.predict(MODEL, "unit-" + unit, ROWS.get(unit % ROWS.size()));
			assertThat(answer.testId()).as(name + ": unit-" + unit + " routed by the test").isEqualTo(testId);
			assertThat(answer.version()).as(name + ": the version of variant " + answer.variant())
				.isEqualTo(answer.variant().equals("a") ? "1" : "2");
			variants.put("unit-" + unit, answer.variant());
		}
		return variants;
	}

	private static RouterServer replica(String name) {
		Map<String, String> replica = new HashMap<>(properties);
		replica.put("flywheel.home", home.resolve("router-" + name).toString());
		return RouterServer.start(replica);
	}

}
