package dev.flywheel.monitoring.drift;

import dev.flywheel.monitoring.drift.DriftMeasures.ChiSquared;
import dev.flywheel.monitoring.drift.DriftMeasures.KolmogorovSmirnov;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class DriftMeasuresTests {

	private static final double[] EDGES = { 0, 1, 2, 3 };

	private static final long[] REFERENCE = { 50, 30, 20 };

	private static final long[] CURRENT = { 30, 30, 40 };

	@Test
	void psiOfHandComputedShares() {
		// r = (0.5, 0.3, 0.2), c = (0.3, 0.3, 0.4):
		// (0.3 - 0.5)·ln(0.3/0.5) + 0 + (0.4 - 0.2)·ln(0.4/0.2) = 0.2·ln(5/3) + 0.2·ln 2 = 0.10217 + 0.13863
		assertThat(DriftMeasures.psi(REFERENCE, CURRENT)).isCloseTo(0.2407945608651872, within(1e-12));
	}

	@Test
	void psiFloorsAnEmptyBinAtEpsilonWithoutRenormalising() {
		// r = (1, 0 → 1e-4), c = (0.5, 0.5): (0.5 - 1)·ln(0.5) + (0.5 - 1e-4)·ln(0.5/1e-4) = 0.34657 + 4.25774
		assertThat(DriftMeasures.psi(new long[] { 10, 0 }, new long[] { 5, 5 })).isCloseTo(4.60431846666895,
				within(1e-12));
		// a bin empty on both sides adds nothing
		assertThat(DriftMeasures.psi(new long[] { 50, 30, 20, 0 }, new long[] { 30, 30, 40, 0 }))
			.isCloseTo(0.2407945608651872, within(1e-12));
	}

	@Test
	void psiIsZeroForIdenticalSharesAndLargestForDisjointOnes() {
		assertThat(DriftMeasures.psi(REFERENCE, new long[] { 5, 3, 2 })).isZero();
		// (1e-4 - 1)·ln(1e-4) + (1 - 1e-4)·ln(1e4) = 2(1 - 1e-4)·ln(1e4)
		assertThat(DriftMeasures.psi(new long[] { 10, 0 }, new long[] { 0, 10 })).isCloseTo(18.41883867587797,
				within(1e-12));
	}

	@Test
	void jensenShannonDistanceOfHandComputedShares() {
		// r = (0.5, 0.5), c = (1, 0), a = (0.75, 0.25)
		// KL(r‖a) = 0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25) = -0.29248 + 0.5 = 0.20752; KL(c‖a) = log2(1/0.75) = 0.41504
		// JSD = (0.20752 + 0.41504)/2 = 0.31128, distance = sqrt(0.31128) = 0.55792
		assertThat(DriftMeasures.jensenShannonDistance(new long[] { 1, 1 }, new long[] { 4, 0 }))
			.isCloseTo(0.5579230452841438, within(1e-12));
	}

	@Test
	void jensenShannonDistanceIsZeroForIdenticalSharesAndOneForDisjointOnes() {
		assertThat(DriftMeasures.jensenShannonDistance(REFERENCE, new long[] { 500, 300, 200 })).isZero();
		assertThat(DriftMeasures.jensenShannonDistance(new long[] { 7, 0, 0 }, new long[] { 0, 2, 9 }))
			.isCloseTo(1, within(1e-12));
	}

	@Test
	void chiSquaredOfHandComputedCounts() {
		// e = (0.5, 0.3, 0.2)·100 = (50, 30, 20): χ² = 20²/50 + 0 + 20²/20 = 8 + 20 = 28, df 2,
		// p = P(χ²_2 ≥ 28) = exp(-28/2) = 8.3153e-7
		ChiSquared chiSquared = DriftMeasures.chiSquared(REFERENCE, CURRENT);
		assertThat(chiSquared.statistic()).isCloseTo(28, within(1e-9));
		assertThat(chiSquared.degreesOfFreedom()).isEqualTo(2);
		assertThat(chiSquared.pValue()).isCloseTo(Math.exp(-14), within(1e-12));
	}

	@Test
	void chiSquaredLeavesOutBinsEmptyOnBothSidesAndFloorsTheReference() {
		// the unseen bin empty on both sides: the same test as without it
		ChiSquared withEmptyBin = DriftMeasures.chiSquared(new long[] { 50, 30, 20, 0 }, new long[] { 30, 30, 40, 0 });
		assertThat(withEmptyBin.statistic()).isCloseTo(28, within(1e-9));
		assertThat(withEmptyBin.degreesOfFreedom()).isEqualTo(2);
		// one live row where the reference had none: e = (1·10, 1e-4·10) = (10, 0.001), o = (9, 1):
		// χ² = 1²/10 + (1 - 0.001)²/0.001 = 0.1 + 998.001 = 998.101, df 1
		ChiSquared unseen = DriftMeasures.chiSquared(new long[] { 100, 0 }, new long[] { 9, 1 });
		assertThat(unseen.statistic()).isCloseTo(998.101, within(1e-9));
		assertThat(unseen.degreesOfFreedom()).isEqualTo(1);
		assertThat(unseen.pValue()).isLessThan(1e-200);
	}

	@Test
	void chiSquaredIsZeroWithPValueOneForIdenticalShares() {
		ChiSquared chiSquared = DriftMeasures.chiSquared(REFERENCE, new long[] { 5, 3, 2 });
		assertThat(chiSquared.statistic()).isZero();
		assertThat(chiSquared.pValue()).isEqualTo(1);
		// a single bin with counts: no degrees of freedom
		assertThat(DriftMeasures.chiSquared(new long[] { 4, 0 }, new long[] { 9, 0 }).pValue()).isEqualTo(1);
	}

	@Test
	void kolmogorovSmirnovOfHandComputedCounts() {
		// F_ref at the edges 1, 2, 3: 0.5, 0.8, 1; F_cur: 0.3, 0.6, 1; D = 0.2
		// n_e = 100·100/200 = 50, λ = sqrt(50)·0.2 = sqrt(2); p = 2·Σ (-1)^(k-1)·exp(-2k²λ²) = 2(e^-4 - e^-16 + …)
		KolmogorovSmirnov ks = DriftMeasures.kolmogorovSmirnov(EDGES, REFERENCE, CURRENT);
		assertThat(ks.statistic()).isCloseTo(0.2, within(1e-12));
		assertThat(ks.effectiveSize()).isCloseTo(50, within(1e-12));
		assertThat(ks.pValue()).isCloseTo(0.03663105270711935, within(1e-9));
	}

	@Test
	void kolmogorovSmirnovIsZeroForIdenticalSharesAndOneForDisjointOnes() {
		KolmogorovSmirnov identical = DriftMeasures.kolmogorovSmirnov(EDGES, REFERENCE, new long[] { 5, 3, 2 });
		assertThat(identical.statistic()).isZero();
		assertThat(identical.pValue()).isEqualTo(1);
		KolmogorovSmirnov disjoint = DriftMeasures.kolmogorovSmirnov(EDGES, new long[] { 100, 0, 0 },
				new long[] { 0, 0, 100 });
		assertThat(disjoint.statistic()).isCloseTo(1, within(1e-12));
		assertThat(disjoint.pValue()).isLessThan(1e-40);
	}

	@Test
	void normalizedWassersteinOfHandComputedCounts() {
		// F_ref - F_cur at the edges 0, 1, 2, 3: 0, 0.2, 0.2, 0; linear in between and never negative:
		// ∫ = 0.2/2 + 0.2 + 0.2/2 = 0.4 (= the difference of the means 1.6 - 1.2 with mass uniform in each bin)
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, REFERENCE, CURRENT, 1)).isCloseTo(0.4, within(1e-12));
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, REFERENCE, CURRENT, 2)).isCloseTo(0.2, within(1e-12));
		// a standard deviation of 0 is floored at 0.001
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, REFERENCE, CURRENT, 0)).isCloseTo(400, within(1e-9));
	}

	@Test
	void normalizedWassersteinIntegratesExactlyWhereTheDistributionFunctionsCross() {
		// ref uniform on [0, 1] ∪ [2, 3], cur uniform on [1, 2]: F_ref - F_cur at the edges is 0, 0.5, -0.5, 0
		// bins 1 and 3: 0.5/2 = 0.25 each; bin 2 crosses 0 at its middle: (0.5² + 0.5²)/(2·(0.5 + 0.5)) = 0.25
		// W1 = 0.75 (by quantiles: ∫_0^½ (1 - q) dq + ∫_½^1 q dq = 0.375 + 0.375)
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, new long[] { 1, 0, 1 }, new long[] { 0, 2, 0 }, 1))
			.isCloseTo(0.75, within(1e-12));
	}

	@Test
	void normalizedWassersteinIsZeroForIdenticalSharesAndTheDistanceBetweenDisjointBins() {
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, REFERENCE, new long[] { 5, 3, 2 }, 1)).isZero();
		// all mass uniform on [0, 1] against all on [2, 3]: a shift of 2
		assertThat(DriftMeasures.normalizedWasserstein(EDGES, new long[] { 10, 0, 0 }, new long[] { 0, 0, 4 }, 1))
			.isCloseTo(2, within(1e-12));
	}

	@Test
	void countsThatDoNotFitAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DriftMeasures.psi(REFERENCE, new long[] { 1, 2 }));
		assertThatIllegalArgumentException().isThrownBy(() -> DriftMeasures.psi(REFERENCE, new long[] { 0, 0, 0 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DriftMeasures.chiSquared(REFERENCE, new long[] { 1, -1, 2 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DriftMeasures.kolmogorovSmirnov(new double[] { 0, 1 }, REFERENCE, CURRENT));
	}

}
