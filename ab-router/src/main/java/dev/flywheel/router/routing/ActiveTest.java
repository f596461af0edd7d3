package dev.flywheel.router.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.Allocation;
import dev.flywheel.router.abtest.RunningTest;
import dev.flywheel.router.abtest.Variant;
import dev.flywheel.router.assignment.Assigner;
import dev.flywheel.router.assignment.Assignment;
import dev.flywheel.router.assignment.Split;
import dev.flywheel.router.assignment.UnitKey;
import dev.flywheel.router.decision.RewardStats;
import dev.flywheel.router.decision.ThompsonAllocator;

/**
 * A running test ready to route: with fixed weights, a unit goes where the test's {@link Assigner} puts it (its salt
 * and its whole weight history, so the same key always gets the same variant, on every replica and after restarts);
 * with Thompson sampling, where the {@link ThompsonAllocator} draws (not sticky by design: the allocation follows
 * the rewards).
 */
final class ActiveTest {

	private final AbTest test;

	private final Assigner assigner;

	private final Allocation allocation;

	ActiveTest(RunningTest running) {
		this.test = running.test();
		this.assigner = new Assigner(test.salt(), Split.replay(running.weightHistory()));
		this.allocation = test.definition().allocation();
	}

	AbTest test() {
		return test;
	}

	/** The variant for a unit; {@code rewards} (the latest look's, by variant) feed Thompson sampling. */
	Route route(UnitKey unit, Map<String, RewardStats> rewards) {
		List<Variant> variants = test.definition().variants();
		if (allocation.mode() == Allocation.Mode.FIXED) {
			Assignment assignment = assigner.assign(unit);
			Variant variant = variants.get(assignment.variant());
			return new Route(test, variant.name(), variant.target(), true, unit);
		}
		Map<String, RewardStats> known = new LinkedHashMap<>();
		variants.forEach(v -> known.put(v.name(), rewards.getOrDefault(v.name(), RewardStats.EMPTY)));
		// ThreadLocalRandom is per thread, so each request gets an allocator of its own (two fields: nothing to it)
		ThompsonAllocator.Allocation drawn = new ThompsonAllocator(allocation.uniformShare(),
				test.definition().reward().kind(), ThreadLocalRandom.current()).allocate(known);
		Variant variant = variants.stream().filter(v -> v.name().equals(drawn.variant())).findFirst().orElseThrow();
		return new Route(test, variant.name(), variant.target(), drawn.forDecision(), unit);
	}

}
