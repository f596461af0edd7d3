package dev.flywheel.router.decision;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Expected values are the formulas of {@code statistics.md} §2.2 worked by hand (in double precision, step by step
 * as written in each test) rather than through the class under test.
 */
class MixtureConfidenceSequenceTests {

	private final MixtureConfidenceSequence sequence = new MixtureConfidenceSequence(0.05, 5000);

	@Test
	void theMixingVarianceIsTightestAtNStar() {
		// (-2 ln 0.05 + ln(1 - 2 ln 0.05)) / 5000 = (5.991465 + 1.944694) / 5000
		assertThat(sequence.rhoSquared()).isCloseTo(0.001587230920347513, within(1e-17));
		assertThat(MixtureConfidenceSequence.mixingVariance(0.05, 2500)).isCloseTo(2 * 0.001587230920347513,
				within(1e-17));
		// the half-width in standard errors is smallest near t = N*
		assertThat(sequence.criticalZ(5000)).isCloseTo(3.0352089903762534, within(1e-12))
			.isLessThan(sequence.criticalZ(2000))
			.isLessThan(sequence.criticalZ(50_000));
		assertThat(sequence.criticalZ(2000)).isCloseTo(3.1237790916747294, within(1e-12));
	}

	@Test
	void intervalAndPValueOfADifferenceOfRates() {
		// control 800/1000, challenger 850/1000: Δ̂ = 0.05, SE² = 0.16/1000 + 0.1275/1000 = 0.0002875,
		// t = 2000, σ̂ = sqrt(0.575), tρ² = 3.174462, half-width = σ̂·sqrt(2·4.174462/(2000²ρ²)·ln(sqrt(4.174462)/0.05))
		AlwaysValidInterval lift = sequence.difference(RewardStats.ofBinary(1000, 800),
				RewardStats.ofBinary(1000, 850));

		assertThat(lift.estimate()).isCloseTo(0.05, within(1e-15));
		assertThat(lift.standardError()).isCloseTo(0.01695582495781317, within(1e-15));
		assertThat(lift.lower()).isCloseTo(-0.0029662514853133898, within(1e-14));
		assertThat(lift.upper()).isCloseTo(0.10296625148531326, within(1e-14));
		assertThat(lift.pValue()).isCloseTo(0.0748848529951739, within(1e-12));
		// a fixed-horizon test would call this significant (z = 2.95); the sequence does not yet
		assertThat(lift.isAbove(0)).isFalse();
	}

	@Test
	void theIntervalExcludesZeroExactlyWhenThePValueIsBelowAlpha() {
		// 4000/5000 against 4150/5000: z = 0.03/0.0077602 = 3.87 > criticalZ(10000) = 3.061
		AlwaysValidInterval lift = sequence.difference(RewardStats.ofBinary(5000, 4000),
				RewardStats.ofBinary(5000, 4150));

		assertThat(lift.lower()).isCloseTo(0.006242463361993609, within(1e-14));
		assertThat(lift.upper()).isCloseTo(0.053757536638006226, within(1e-14));
		assertThat(lift.pValue()).isCloseTo(0.0036359960432712293, within(1e-13)).isLessThan(0.05);
		assertThat(lift.isAbove(0)).isTrue();
		assertThat((lift.upper() - lift.estimate()) / lift.standardError()).isCloseTo(sequence.criticalZ(10_000),
				within(1e-9));
	}

	@Test
	void thePValueIsTheMixtureSprtOfJohariEtAl() {
		// Λ = sqrt(V/(V + τ²))·exp(τ²Δ̂²/(2V(V + τ²))) with V = SE², τ² = ρ²σ̂² = ρ²·SE²·t
		RewardStats control = RewardStats.ofBinary(3000, 2400);
		RewardStats challenger = RewardStats.ofBinary(2900, 2380);
		AlwaysValidInterval lift = sequence.difference(control, challenger);
		double v = 0.8 * 0.2 / 3000 + (2380.0 / 2900) * (1 - 2380.0 / 2900) / 2900;
		double delta = 2380.0 / 2900 - 0.8;
		double tau2 = sequence.rhoSquared() * v * 5900;
		double lambda = Math.sqrt(v / (v + tau2)) * Math.exp(tau2 * delta * delta / (2 * v * (v + tau2)));

		assertThat(lift.pValue()).isCloseTo(Math.min(1, 1 / lambda), within(1e-12));
	}

	@Test
	void smallDifferencesHaveAPValueOfOne() {
		// 800 against 820 of 1000: E = 0.8025 < 1, so p = min(1, 1/E) = 1
		AlwaysValidInterval lift = sequence.difference(RewardStats.ofBinary(1000, 800),
				RewardStats.ofBinary(1000, 820));

		assertThat(lift.pValue()).isEqualTo(1);
		assertThat(lift.lower()).isCloseTo(-0.0347864902348974, within(1e-14));
		assertThat(lift.upper()).isCloseTo(0.07478649023489722, within(1e-14));
	}

	@Test
	void continuousRewardsUseTheirPlugInVariances() {
		// control 1,2,3,4 (m 2.5, v 1.25), challenger 2,4,6 (m 4, v 8/3): SE² = 8/9 + 1.25/4, t = 7
		AlwaysValidInterval lift = sequence.difference(RewardStats.of(1, 2, 3, 4), RewardStats.of(2, 4, 6));

		assertThat(lift.estimate()).isEqualTo(1.5);
		assertThat(lift.standardError()).isCloseTo(Math.sqrt(8.0 / 9 + 1.25 / 4), within(1e-15));
		assertThat(lift.lower()).isCloseTo(-24.117612381881077, within(1e-11));
		assertThat(lift.upper()).isCloseTo(27.117612381881077, within(1e-11));
		assertThat(lift.pValue()).isCloseTo(0.9952461741896974, within(1e-12));
	}

	@Test
	void aSingleMeanWithItsNullValue() {
		// 25 of 1000 over the bound, against a 1% limit: m = 0.025, t = n = 1000
		AlwaysValidInterval share = sequence.mean(RewardStats.ofBinary(1000, 25), 0.01);

		assertThat(share.estimate()).isEqualTo(0.025);
		assertThat(share.lower()).isCloseTo(0.008392135059044882, within(1e-14));
		assertThat(share.upper()).isCloseTo(0.04160786494095512, within(1e-14));
		assertThat(share.pValue()).isCloseTo(0.09478145611133106, within(1e-12));
	}

	@Test
	void constantRewardsGiveAnExactInterval() {
		AlwaysValidInterval same = sequence.difference(RewardStats.ofBinary(100, 100), RewardStats.ofBinary(100, 100));
		AlwaysValidInterval apart = sequence.difference(RewardStats.ofBinary(100, 0), RewardStats.ofBinary(100, 100));

		assertThat(same).isEqualTo(new AlwaysValidInterval(0, 0, 0, 0, 1));
		assertThat(apart).isEqualTo(new AlwaysValidInterval(1, 0, 1, 1, 0));
	}

	@Test
	void narrowingKeepsTheRunningIntersectionAndMinimumPValue() {
		AlwaysValidInterval earlier = new AlwaysValidInterval(0.02, 0.01, -0.01, 0.05, 0.3);
		AlwaysValidInterval now = new AlwaysValidInterval(0.03, 0.008, 0.0, 0.06, 0.4);

		assertThat(now.narrowedBy(earlier)).isEqualTo(new AlwaysValidInterval(0.03, 0.008, 0.0, 0.05, 0.3));
		AlwaysValidInterval disjoint = new AlwaysValidInterval(0.2, 0.01, 0.15, 0.25, 0.5);
		assertThat(disjoint.narrowedBy(earlier)).isEqualTo(new AlwaysValidInterval(0.2, 0.01, 0.15, 0.25, 0.3));
	}

	@Test
	void refusesParametersAndSamplesItCannotUse() {
		assertThatThrownBy(() -> new MixtureConfidenceSequence(0, 5000)).hasMessageContaining("α");
		assertThatThrownBy(() -> new MixtureConfidenceSequence(0.05, 0)).hasMessageContaining("N*");
		assertThatThrownBy(() -> sequence.difference(RewardStats.of(1), RewardStats.of(1, 2)))
			.hasMessageContaining("at least two rewards");
	}

}
