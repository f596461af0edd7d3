package dev.flywheel.monitoring.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LabelDelaysTests {

	@Test
	void nearestRankPercentilesOfTenDelays() {
		// 1 s … 10 s, added out of order: median rank ceil(0.5·10) = 5 → 5 s, p90 rank ceil(0.9·10) = 9 → 9 s
		LabelDelays delays = new LabelDelays();
		for (long seconds : new long[] { 7, 3, 10, 1, 9, 2, 8, 5, 4, 6 }) {
			delays.add(1_000_000, 1_000_000 + seconds * 1000);
		}
		assertThat(delays.delay()).isEqualTo(new LabelDelay(10, 5, 9, 10));
	}

	@Test
	void theMedianOfAnEvenCountIsTheLowerMiddleDelay() {
		// 1, 2, 3, 4 s: median rank ceil(2) = 2 → 2 s (not the interpolated 2.5), p90 rank ceil(3.6) = 4 → 4 s
		LabelDelays delays = new LabelDelays().addMillis(4000).addMillis(1000).addMillis(3000).addMillis(2000);
		assertThat(delays.delay()).isEqualTo(new LabelDelay(4, 2, 4, 4));
	}

	@Test
	void nearestRankPercentilesOfElevenDelays() {
		// 1 s … 11 s: median rank ceil(5.5) = 6 → 6 s, p90 rank ceil(9.9) = 10 → 10 s
		LabelDelays delays = new LabelDelays();
		for (int seconds = 11; seconds >= 1; seconds--) {
			delays.addMillis(seconds * 1000L);
		}
		assertThat(delays.delay()).isEqualTo(new LabelDelay(11, 6, 10, 11));
	}

	@Test
	void oneDelayIsEveryPercentileAndMillisecondsBecomeFractionalSeconds() {
		assertThat(new LabelDelays().add(10_000, 11_250).delay()).isEqualTo(new LabelDelay(1, 1.25, 1.25, 1.25));
	}

	@Test
	void aNegativeDelayFromClockSkewIsKeptAsRecorded() {
		assertThat(new LabelDelays().add(5_000, 4_500).addMillis(1_000).delay())
			.isEqualTo(new LabelDelay(2, -0.5, 1, 1));
	}

	@Test
	void noDelaysGiveNaN() {
		LabelDelay delay = new LabelDelays().delay();
		assertThat(delay.rows()).isZero();
		assertThat(delay.medianSeconds()).isNaN();
		assertThat(delay.p90Seconds()).isNaN();
		assertThat(delay.maxSeconds()).isNaN();
	}

	@Test
	void mergedBucketsHoldEveryDelayAndGrowPastTheirFirstCapacity() {
		LabelDelays first = new LabelDelays();
		LabelDelays second = new LabelDelays();
		for (int seconds = 1; seconds <= 100; seconds++) {
			((seconds % 2 == 0) ? first : second).addMillis(seconds * 1000L);
		}
		// 1 … 100 s: median rank 50, p90 rank 90
		assertThat(first.merge(second).delay()).isEqualTo(new LabelDelay(100, 50, 90, 100));
	}

}
