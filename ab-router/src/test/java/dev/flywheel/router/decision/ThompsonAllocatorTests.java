package dev.flywheel.router.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.decision.ThompsonAllocator.Allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ThompsonAllocatorTests {

	private static final int DRAWS = 40_000;

	@Test
	void keepsTheUniformShareForTheDecisionAndSendsTheRestToTheBetterVariant() {
		ThompsonAllocator allocator = new ThompsonAllocator(0.2, RewardKind.BINARY, new SplittableRandom(7));
		Map<String, RewardStats> rewards = Map.of("good", RewardStats.ofBinary(1000, 900), "poor",
				RewardStats.ofBinary(1000, 100));

		Map<String, Integer> decision = new TreeMap<>();
		Map<String, Integer> bandit = new TreeMap<>();
		for (int i = 0; i < DRAWS; i++) {
			Allocation allocation = allocator.allocate(rewards);
			(allocation.forDecision() ? decision : bandit).merge(allocation.variant(), 1, Integer::sum);
		}

		int decisionUnits = decision.values().stream().mapToInt(Integer::intValue).sum();
		assertThat((double) decisionUnits / DRAWS).isCloseTo(0.2, within(0.01));
		assertThat((double) decision.get("good") / decisionUnits).isCloseTo(0.5, within(0.02));
		assertThat(bandit).containsOnlyKeys("good");
	}

	@Test
	void aWholeUniformShareIsAPlainEvenSplit() {
		ThompsonAllocator allocator = new ThompsonAllocator(1, RewardKind.BINARY, new SplittableRandom(1));
		Map<String, RewardStats> rewards = Map.of("a", RewardStats.ofBinary(100, 99), "b", RewardStats.EMPTY, "c",
				RewardStats.ofBinary(100, 1));

		List<Allocation> allocations = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			allocations.add(allocator.allocate(rewards));
		}

		assertThat(allocations).allMatch(Allocation::forDecision);
		assertThat(allocations.stream().filter(a -> a.variant().equals("b")).count()).isBetween(900L, 1100L);
	}

	@Test
	void drawsFromTheBetaPosteriorOfBinaryRewards() {
		// one success against nothing: Beta(2, 1) against Beta(1, 1); P(θ_a > θ_b) = ∫ x · 2x dx = 2/3
		ThompsonAllocator allocator = new ThompsonAllocator(0.5, RewardKind.BINARY, new SplittableRandom(11));
		Map<String, RewardStats> rewards = Map.of("a", RewardStats.ofBinary(1, 1), "b", RewardStats.EMPTY);

		assertThat(shareOf("a", allocator, rewards)).isCloseTo(2.0 / 3, within(0.01));
	}

	@Test
	void drawsFromTheNormalApproximationOfNumericRewards() {
		// a: mean 0.1, b: mean 0, both v/n = 0.04/4: P(θ_a > θ_b) = Φ(0.1/sqrt(0.02)) = Φ(0.7071) = 0.7602
		ThompsonAllocator allocator = new ThompsonAllocator(0.5, RewardKind.NUMERIC, new SplittableRandom(13));
		Map<String, RewardStats> rewards = Map.of("a", RewardStats.of(-0.1, 0.3, -0.1, 0.3), "b",
				RewardStats.of(-0.2, 0.2, -0.2, 0.2));

		assertThat(shareOf("a", allocator, rewards)).isCloseTo(0.76025, within(0.01));
	}

	@Test
	void numericVariantsWithoutAVarianceAreExploredFirst() {
		ThompsonAllocator allocator = new ThompsonAllocator(0.5, RewardKind.NUMERIC, new SplittableRandom(17));
		Map<String, RewardStats> rewards = Map.of("known", RewardStats.of(10, 11, 12), "new1", RewardStats.of(0),
				"new2", RewardStats.EMPTY);

		Map<String, Integer> chosen = new TreeMap<>();
		for (int i = 0; i < 2000; i++) {
			chosen.merge(allocator.sample(rewards), 1, Integer::sum);
		}

		assertThat(chosen).containsOnlyKeys("new1", "new2");
		assertThat(chosen.get("new1")).isBetween(900, 1100);
	}

	@Test
	void aSeededGeneratorRepeatsItsAllocationsWhateverTheMapOrder() {
		Map<String, RewardStats> sorted = new TreeMap<>(Map.of("a", RewardStats.ofBinary(50, 30), "b",
				RewardStats.ofBinary(50, 28), "c", RewardStats.ofBinary(50, 25)));
		Map<String, RewardStats> hashed = new HashMap<>(sorted);
		ThompsonAllocator first = new ThompsonAllocator(0.3, RewardKind.BINARY, new SplittableRandom(42));
		ThompsonAllocator second = new ThompsonAllocator(0.3, RewardKind.BINARY, new SplittableRandom(42));

		for (int i = 0; i < 1000; i++) {
			assertThat(second.allocate(hashed)).isEqualTo(first.allocate(sorted));
		}
	}

	@Test
	void betaAndGammaVariatesHaveTheirMoments() {
		SplittableRandom random = new SplittableRandom(3);
		double sum = 0;
		double sumOfSquares = 0;
		double gammaSum = 0;
		for (int i = 0; i < 100_000; i++) {
			double beta = RandomVariates.beta(3, 5, random);
			sum += beta;
			sumOfSquares += beta * beta;
			gammaSum += RandomVariates.gamma(0.5, random);
		}
		double mean = sum / 100_000;

		// Beta(3, 5): mean 3/8, variance ab/((a+b)²(a+b+1)) = 15/576; Gamma(1/2): mean 1/2
		assertThat(mean).isCloseTo(0.375, within(0.002));
		assertThat(sumOfSquares / 100_000 - mean * mean).isCloseTo(15.0 / 576, within(0.001));
		assertThat(gammaSum / 100_000).isCloseTo(0.5, within(0.01));
	}

	@Test
	void refusesAShareOfNothingAndRewardsThatAreNotBinary() {
		assertThatThrownBy(() -> new ThompsonAllocator(0, RewardKind.BINARY, new SplittableRandom(1)))
			.hasMessageContaining("uniform share");
		ThompsonAllocator allocator = new ThompsonAllocator(0.1, RewardKind.BINARY, new SplittableRandom(1));
		assertThatThrownBy(() -> allocator.sample(Map.of("a", RewardStats.of(0.5, 2))))
			.hasMessageContaining("not 0/1");
		assertThatThrownBy(() -> allocator.sample(Map.of())).hasMessageContaining("at least one variant");
	}

	private static double shareOf(String variant, ThompsonAllocator allocator, Map<String, RewardStats> rewards) {
		int chosen = 0;
		for (int i = 0; i < DRAWS; i++) {
			if (allocator.sample(rewards).equals(variant)) {
				chosen++;
			}
		}
		return (double) chosen / DRAWS;
	}

}
