package dev.flywheel.router.routing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.AbTestDefinition;
import dev.flywheel.router.abtest.AbTestStatus;
import dev.flywheel.router.abtest.Allocation;
import dev.flywheel.router.abtest.DecisionAction;
import dev.flywheel.router.abtest.Reward;
import dev.flywheel.router.abtest.RunningTest;
import dev.flywheel.router.abtest.Variant;
import dev.flywheel.router.abtest.VersionSelector;
import dev.flywheel.router.assignment.UnitKey;
import dev.flywheel.router.assignment.UnitKeys;
import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.RewardStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ActiveTestTests {

	@Test
	void aFixedTestSendsAUnitToTheSameVariantEveryTimeAndCountsItForTheDecision() {
		ActiveTest test = new ActiveTest(running(Allocation.FIXED, List.of(List.of(1.0, 1.0))));
		for (int unit = 0; unit < 200; unit++) {
			Route first = test.route(new UnitKey("user-" + unit, false), Map.of());
			Route again = test.route(new UnitKey("user-" + unit, false), Map.of());
			assertThat(again.variant()).isEqualTo(first.variant());
			assertThat(first.forDecision()).isTrue();
			assertThat(first.target()).isEqualTo(first.variant().equals("a") ? VersionSelector.version("1")
					: VersionSelector.alias("challenger"));
		}
	}

	@Test
	void aFixedTestReplaysItsWeightHistory() {
		List<List<Double>> history = List.of(List.of(1.0, 1.0), List.of(1.0, 4.0));
		ActiveTest before = new ActiveTest(running(Allocation.FIXED, history.subList(0, 1)));
		ActiveTest after = new ActiveTest(running(Allocation.FIXED, history));
		int moved = 0;
		for (int unit = 0; unit < 2000; unit++) {
			UnitKey key = new UnitKey("user-" + unit, false);
			String was = before.route(key, Map.of()).variant();
			String is = after.route(key, Map.of()).variant();
			if (was.equals("b")) {
				assertThat(is).isEqualTo("b");
			}
			else if (is.equals("b")) {
				moved++;
			}
		}
		assertThat(moved).isBetween(500, 700);
	}

	@Test
	void aThompsonTestKeepsItsUniformShareForTheDecisionAndFavoursTheBetterVariantOtherwise() {
		ActiveTest test = new ActiveTest(running(Allocation.thompson(0.2), List.of(List.of(1.0, 1.0))));
		Map<String, RewardStats> rewards = Map.of("a", RewardStats.ofBinary(500, 300), "b",
				RewardStats.ofBinary(500, 400));
		Map<String, Integer> adaptive = new HashMap<>();
		int forDecision = 0;
		int draws = 20_000;
		for (int i = 0; i < draws; i++) {
			Route route = test.route(UnitKeys.givenOrRandom(null), rewards);
			if (route.forDecision()) {
				forDecision++;
			}
			else {
				adaptive.merge(route.variant(), 1, Integer::sum);
			}
		}
		assertThat((double) forDecision / draws).isCloseTo(0.2, within(0.02));
		assertThat(adaptive.getOrDefault("b", 0)).isGreaterThan(adaptive.getOrDefault("a", 0) * 20);
	}

	private static RunningTest running(Allocation allocation, List<List<Double>> history) {
		List<Double> weights = history.get(history.size() - 1);
		AbTestDefinition definition = new AbTestDefinition("iris",
				List.of(new Variant("a", VersionSelector.version("1"), weights.get(0)),
						new Variant("b", VersionSelector.alias("challenger"), weights.get(1))),
				List.of(), Reward.LABEL, DecisionPolicy.defaults(), DecisionAction.REPORT, allocation);
		Instant now = Instant.parse("2026-11-27T00:00:00Z");
		return new RunningTest(new AbTest("t-1", definition, "5eed", AbTestStatus.RUNNING, null, now, now), history);
	}

}
