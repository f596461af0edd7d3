package dev.flywheel.router.decision;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SampleRatioMismatchTests {

	@Test
	void theBayesFactorOfAUniformPriorIsAHandComputedRatioOfFactorials() {
		// k = 2, p = (½, ½), c = 2: α = (1, 1), the uniform prior, and BF = n_1!·n_2!/(n + 1)! · 2^n
		// (3, 1): 3!·1!/5! · 16 = 0.8; (10, 0): 10!/11! · 1024 = 1024/11
		assertThat(SampleRatioMismatch.logBayesFactor(List.of(3L, 1L), List.of(1.0, 1.0), 2))
			.isCloseTo(Math.log(0.8), within(1e-13));
		SampleRatioMismatch tenHeads = SampleRatioMismatch.check(List.of(10L, 0L), List.of(1.0, 1.0), 2, 0.001, null);
		assertThat(tenHeads.bayesFactor()).isCloseTo(1024.0 / 11, within(1e-11));
		assertThat(tenHeads.pValue()).isCloseTo(11.0 / 1024, within(1e-15));
		assertThat(tenHeads.isMismatch()).isFalse();
	}

	@Test
	void theBayesFactorWithTheDefaultPriorIsAHandComputedRatioOfRisingFactorials() {
		// k = 2, p = (½, ½), c = 100: α = (50, 50); Γ(a + m)/Γ(a) is the rising factorial a(a + 1)…(a + m - 1)
		// (3, 1): [50·51·52]·[50] / [100·101·102·103] · 2⁴ = 106,080,000/106,110,600
		assertThat(SampleRatioMismatch.check(List.of(3L, 1L), List.of(1.0, 1.0), 0.001).bayesFactor())
			.isCloseTo(106_080_000.0 / 106_110_600, within(1e-13));
		// (4, 0): [50·51·52·53] / [100·101·102·103] · 2⁴ = 112,444,800/106,110,600
		SampleRatioMismatch fourToNone = SampleRatioMismatch.check(List.of(4L, 0L), List.of(1.0, 1.0), 0.001);
		assertThat(fourToNone.bayesFactor()).isCloseTo(112_444_800.0 / 106_110_600, within(1e-13));
		assertThat(fourToNone.pValue()).isCloseTo(106_110_600.0 / 112_444_800, within(1e-13));
		// an uneven plan: p = (0.9, 0.1), c = 10, α = (9, 1); (0, 3): Γ(10)/Γ(13) · Γ(4)/Γ(1) / 0.1³ = 6000/1320
		assertThat(SampleRatioMismatch.check(List.of(0L, 3L), List.of(0.9, 0.1), 10, 0.001, null).bayesFactor())
			.isCloseTo(6000.0 / 1320, within(1e-12));
	}

	@Test
	void aTenNinetySplitDeliveredAsTwentyEightyIsAMismatch() {
		// expected 100 and 900 of 1000; χ² = 100²/100 + 100²/900 = 111.1, df 1, p = erfc(sqrt(111.1/2))
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(200L, 800L), List.of(0.1, 0.9), 0.001);

		assertThat(srm.chiSquared()).isCloseTo(1000.0 / 9, within(1e-9));
		assertThat(srm.degreesOfFreedom()).isEqualTo(1);
		assertThat(srm.chiSquaredPValue()).isCloseTo(5.594557236191545e-26, within(1e-36));
		// ln BF from scipy's gammaln; the always-valid p-value is larger than the classic one, and still tiny
		assertThat(srm.concentration()).isEqualTo(SampleRatioMismatch.DEFAULT_CONCENTRATION);
		assertThat(srm.logBayesFactor()).isCloseTo(39.54437914290543, within(1e-9));
		assertThat(srm.pValue()).isCloseTo(6.7003015375414164e-18, within(1e-26));
		assertThat(srm.isMismatch()).isTrue();
	}

	@Test
	void weightsAreNormalisedAndSeveralVariantsTested() {
		// 30/40/50 against an even split: e = 40, χ² = (100 + 0 + 100)/40 = 5, df 2, p = exp(-5/2)
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(30L, 40L, 50L), List.of(1.0, 1.0, 1.0), 0.001);

		assertThat(srm.chiSquared()).isCloseTo(5, within(1e-12));
		assertThat(srm.degreesOfFreedom()).isEqualTo(2);
		assertThat(srm.chiSquaredPValue()).isCloseTo(Math.exp(-2.5), within(1e-14));
		assertThat(srm.logBayesFactor()).isCloseTo(0.5852288495278231, within(1e-12));
		assertThat(srm.isMismatch()).isFalse();
		// the scale of the weights does not matter
		assertThat(SampleRatioMismatch.check(List.of(30L, 40L, 50L), List.of(7.0, 7.0, 7.0), 0.001))
			.isEqualTo(new SampleRatioMismatch(List.of(30L, 40L, 50L), List.of(7.0, 7.0, 7.0), srm.chiSquared(), 2,
					srm.chiSquaredPValue(), 100, srm.logBayesFactor(), srm.pValue(), 0.001));
	}

	@Test
	void aSplitAsPlannedIsNoMismatch() {
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(5030L, 4970L), List.of(50.0, 50.0), 0.001);

		// χ² = 2·30²/5000 = 0.36
		assertThat(srm.chiSquared()).isCloseTo(0.36, within(1e-12));
		assertThat(srm.chiSquaredPValue()).isCloseTo(0.5485062355001472, within(1e-12));
		// the counts favour the plan: BF < 1, p = 1
		assertThat(srm.logBayesFactor()).isCloseTo(-2.131798947440984, within(1e-10));
		assertThat(srm.pValue()).isEqualTo(1);
		assertThat(srm.isMismatch()).isFalse();
	}

	@Test
	void theBayesFactorIsExactAtAnyCountWhereTheChiSquaredTestWaitsForFiveExpected() {
		// 40 units at 10/90, all in the 10% variant: 4 expected there, too few for the chi-squared approximation,
		// but a likelihood of 0.1⁴⁰ under the plan is overwhelming evidence, and the Bayes factor needs no minimum
		SampleRatioMismatch early = SampleRatioMismatch.check(List.of(40L, 0L), List.of(0.1, 0.9), 0.001);

		assertThat(early.chiSquared()).isZero();
		assertThat(early.chiSquaredPValue()).isEqualTo(1);
		assertThat(early.logBayesFactor()).isCloseTo(32.7228738313151, within(1e-10));
		assertThat(early.isMismatch()).isTrue();
		SampleRatioMismatch none = SampleRatioMismatch.check(List.of(0L, 0L), List.of(1.0, 1.0), 0.001);
		assertThat(none.logBayesFactor()).isZero();
		assertThat(none.pValue()).isEqualTo(1);
		assertThat(none.chiSquaredPValue()).isEqualTo(1);
	}

	@Test
	void aMismatchIsAnAlwaysValidPValueUnderTheThreshold() {
		// 10,000 units on an even split: the always-valid test needs 5216/4784 (ln BF = 6.9325 > ln 1000), where
		// the classic test is at p = 1.6e-5; 5215/4785 is not yet a mismatch (p = 0.00106)
		SampleRatioMismatch under = SampleRatioMismatch.check(List.of(5215L, 4785L), List.of(1.0, 1.0), 0.001);
		SampleRatioMismatch over = SampleRatioMismatch.check(List.of(5216L, 4784L), List.of(1.0, 1.0), 0.001);

		assertThat(under.pValue()).isCloseTo(0.0010625280397443613, within(1e-12));
		assertThat(under.isMismatch()).isFalse();
		assertThat(over.pValue()).isCloseTo(0.0009755480615614696, within(1e-12));
		assertThat(over.isMismatch()).isTrue();
		assertThat(SampleRatioMismatch.check(List.of(5216L, 4784L), List.of(1.0, 1.0), 0.0005).isMismatch())
			.isFalse();
	}

	@Test
	void theClassicTestsMismatchIsNoLongerEnough() {
		// 5165/4835: χ² = 10.89, classic p = 0.000967 < 0.001, a mismatch for the fixed-sample test read once; the
		// always-valid p-value is 1/21.8 = 0.046
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(5165L, 4835L), List.of(1.0, 1.0), 0.001);

		assertThat(srm.chiSquaredPValue()).isCloseTo(0.000966848284767553, within(1e-13));
		assertThat(srm.pValue()).isCloseTo(0.0458423313823749, within(1e-11));
		assertThat(srm.isMismatch()).isFalse();
	}

	@Test
	void thePValueIsKeptAtItsRunningMinimumOverTheLooksOfOneTest() {
		SampleRatioMismatch first = SampleRatioMismatch.check(List.of(5165L, 4835L), List.of(1.0, 1.0), 100, 0.001,
				null);
		// on its own the later look is weaker evidence (p = 0.123); continuing the first, it keeps p = 0.046
		SampleRatioMismatch alone = SampleRatioMismatch.check(List.of(5200L, 4900L), List.of(1.0, 1.0), 0.001);
		SampleRatioMismatch later = SampleRatioMismatch.check(List.of(5200L, 4900L), List.of(1.0, 1.0), 100, 0.001,
				first);

		assertThat(alone.pValue()).isCloseTo(0.12271730773244537, within(1e-11));
		assertThat(later.pValue()).isEqualTo(first.pValue());
		assertThat(later.logBayesFactor()).isEqualTo(alone.logBayesFactor());
		// stronger evidence later replaces the minimum
		assertThat(SampleRatioMismatch.check(List.of(5216L, 4784L), List.of(1.0, 1.0), 100, 0.001, null).pValue())
			.isLessThan(first.pValue());
		// a look that does not continue the first (a new plan, another prior, a count gone down) starts afresh
		assertThat(SampleRatioMismatch.check(List.of(5200L, 4900L), List.of(2.0, 2.0), 100, 0.001, first).pValue())
			.isEqualTo(alone.pValue());
		assertThat(SampleRatioMismatch.check(List.of(5200L, 4900L), List.of(1.0, 1.0), 50, 0.001, first))
			.isEqualTo(SampleRatioMismatch.check(List.of(5200L, 4900L), List.of(1.0, 1.0), 50, 0.001, null));
		assertThat(SampleRatioMismatch.check(List.of(5200L, 4800L), List.of(1.0, 1.0), 100, 0.001, first))
			.isEqualTo(SampleRatioMismatch.check(List.of(5200L, 4800L), List.of(1.0, 1.0), 100, 0.001, null));
	}

	/**
	 * Why the prior's concentration is 100 and not the 10,000 of Optimizely's {@code ssrm}: assignment counts only, a
	 * 10/90 split delivered as 20/80 (a gross routing bug) or as 12/88 (a subtle one), a look every 100 units, 200
	 * seeded tests each. With c = 100 the gross mismatch is caught after a few hundred units; with c = 10,000 the
	 * prior needs over a thousand before it can reject, and it is slower on the subtle one too.
	 */
	@Test
	void aSmallConcentrationCatchesAGrossMismatchWithinTheFirstHundredsOfUnits() {
		long[][] gross = new long[3][];
		long[][] subtle = new long[3][];
		double[] concentrations = { 100, 1000, 10_000 };
		for (int c = 0; c < concentrations.length; c++) {
			gross[c] = unitsToDetect(concentrations[c], 0.2, 200);
			subtle[c] = unitsToDetect(concentrations[c], 0.12, 200);
			System.out.printf("[srm] c = %.0f: units to detect 10/90 delivered as 20/80 (median, max) %d, %d;"
					+ " as 12/88 %d, %d%n", concentrations[c], gross[c][100], gross[c][199], subtle[c][100],
					subtle[c][199]);
		}

		assertThat(gross[0][199]).isLessThanOrEqualTo(1000);
		assertThat(gross[2][100]).isGreaterThan(2 * gross[0][100]);
		assertThat(subtle[0][100]).isLessThan(subtle[2][100]);
	}

	private static long[] unitsToDetect(double concentration, double deliveredSmallShare, int runs) {
		long[] units = new long[runs];
		for (int run = 0; run < runs; run++) {
			SplittableRandom random = new SplittableRandom(7_000 + run);
			long small = 0;
			SampleRatioMismatch srm = null;
			for (long n = 1; n <= 100_000; n++) {
				small += random.nextDouble() < deliveredSmallShare ? 1 : 0;
				if (n % 100 == 0) {
					srm = SampleRatioMismatch.check(List.of(n - small, small), List.of(0.9, 0.1), concentration, 0.001,
							srm);
					if (srm.isMismatch()) {
						units[run] = n;
						break;
					}
				}
			}
			assertThat(units[run]).as("run %s detected", run).isPositive();
		}
		Arrays.sort(units);
		return units;
	}

	@Test
	void refusesCountsWeightsAndPriorsThatDoNotFit() {
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(1L), List.of(1.0), 0.001))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(1L, 2L), List.of(1.0, 0.0), 0.001))
			.hasMessageContaining("positive");
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(-1L, 2L), List.of(1.0, 1.0), 0.001))
			.hasMessageContaining("negative");
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(1L, 2L), List.of(1.0, 1.0), 0, 0.001, null))
			.hasMessageContaining("concentration");
	}

}
