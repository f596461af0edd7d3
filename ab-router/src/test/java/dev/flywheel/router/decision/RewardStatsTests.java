package dev.flywheel.router.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RewardStatsTests {

	@Test
	void keepsCountSumAndSumOfSquares() {
		RewardStats stats = RewardStats.of(1, 2, 3, 4);

		assertThat(stats).isEqualTo(new RewardStats(4, 10, 30));
		assertThat(stats.mean()).isEqualTo(2.5);
		// Q/n - m² = 30/4 - 6.25 = 1.25 (dividing by n, as §2.2 does)
		assertThat(stats.variance()).isEqualTo(1.25);
	}

	@Test
	void binaryRewardsHaveTheBernoulliVariance() {
		RewardStats stats = RewardStats.ofBinary(1000, 800);

		assertThat(stats.isBinary()).isTrue();
		assertThat(stats.mean()).isEqualTo(0.8);
		assertThat(stats.variance()).isCloseTo(0.8 * 0.2, within(1e-15));
		assertThat(RewardStats.of(1, 0, 1, 1)).isEqualTo(RewardStats.ofBinary(4, 3));
		assertThat(RewardStats.of(0.5, 1).isBinary()).isFalse();
	}

	@Test
	void mergingAddsTotalsAsIfTheRewardsHadBeenAddedToOne() {
		RewardStats merged = RewardStats.of(1, 2).merge(RewardStats.of(3, 4)).merge(RewardStats.EMPTY);

		assertThat(merged).isEqualTo(RewardStats.of(1, 2, 3, 4));
	}

	@Test
	void constantRewardsHaveZeroVarianceNotANegativeOne() {
		RewardStats stats = RewardStats.of(0.1, 0.1, 0.1);

		assertThat(stats.variance()).isZero();
	}

	@Test
	void refusesImpossibleTotalsAndRewards() {
		assertThatThrownBy(() -> new RewardStats(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new RewardStats(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new RewardStats(2, 1, -1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RewardStats.EMPTY.add(Double.NaN)).hasMessageContaining("finite");
		assertThatThrownBy(() -> RewardStats.ofBinary(10, 11)).hasMessageContaining("Successes");
		assertThatThrownBy(() -> RewardStats.EMPTY.mean()).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void anAccumulatorSnapshotIsConsistentUnderConcurrentAdditions() throws Exception {
		RewardAccumulator accumulator = new RewardAccumulator(RewardStats.ofBinary(10, 4));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				done.add(threads.submit(() -> {
					for (int i = 0; i < 10_000; i++) {
						accumulator.add(i % 2);
						RewardStats snapshot = accumulator.snapshot();
						// the sum of 0/1 rewards is the sum of their squares in every snapshot
						assertThat(snapshot.sum()).isEqualTo(snapshot.sumOfSquares());
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		accumulator.merge(RewardStats.ofBinary(6, 6));

		assertThat(accumulator.snapshot()).isEqualTo(RewardStats.ofBinary(40_016, 20_010));
	}

}
