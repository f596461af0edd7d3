package dev.flywheel.router.decision;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SampleRatioMismatchTests {

	@Test
	void aTenNinetySplitDeliveredAsTwentyEightyIsAMismatch() {
		// expected 100 and 900 of 1000; χ² = 100²/100 + 100²/900 = 111.1, df 1, p = erfc(sqrt(111.1/2))
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(200L, 800L), List.of(0.1, 0.9), 0.001);

		assertThat(srm.chiSquared()).isCloseTo(1000.0 / 9, within(1e-9));
		assertThat(srm.degreesOfFreedom()).isEqualTo(1);
		assertThat(srm.pValue()).isCloseTo(5.594557236191545e-26, within(1e-36));
		assertThat(srm.isMismatch()).isTrue();
	}

	@Test
	void weightsAreNormalisedAndSeveralVariantsTested() {
		// 30/40/50 against an even split: e = 40, χ² = (100 + 0 + 100)/40 = 5, df 2, p = exp(-5/2)
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(30L, 40L, 50L), List.of(1.0, 1.0, 1.0), 0.001);

		assertThat(srm.chiSquared()).isCloseTo(5, within(1e-12));
		assertThat(srm.degreesOfFreedom()).isEqualTo(2);
		assertThat(srm.pValue()).isCloseTo(Math.exp(-2.5), within(1e-14));
		assertThat(srm.isMismatch()).isFalse();
	}

	@Test
	void aSplitAsPlannedIsNoMismatch() {
		SampleRatioMismatch srm = SampleRatioMismatch.check(List.of(5030L, 4970L), List.of(50.0, 50.0), 0.001);

		// χ² = 2·30²/5000 = 0.36
		assertThat(srm.chiSquared()).isCloseTo(0.36, within(1e-12));
		assertThat(srm.pValue()).isCloseTo(0.5485062355001472, within(1e-12));
		assertThat(srm.isMismatch()).isFalse();
	}

	@Test
	void reportsNoEvidenceUntilEveryExpectedCountReachesFive() {
		// 40 units at 10/90: 4 expected for the small variant, too few for the chi-squared approximation
		SampleRatioMismatch early = SampleRatioMismatch.check(List.of(40L, 0L), List.of(0.1, 0.9), 0.001);

		assertThat(early.pValue()).isEqualTo(1);
		assertThat(early.isMismatch()).isFalse();
		assertThat(SampleRatioMismatch.check(List.of(0L, 0L), List.of(1.0, 1.0), 0.001).pValue()).isEqualTo(1);
	}

	@Test
	void aMismatchIsAPValueUnderTheThreshold() {
		// 10.8276 is the 0.1% critical value for one degree of freedom
		// 5164/4836: χ² = 2·164²/5000 = 10.7584, p = 0.001038; 5165/4835: χ² = 10.89, p = 0.000967
		SampleRatioMismatch under = SampleRatioMismatch.check(List.of(5164L, 4836L), List.of(1.0, 1.0), 0.001);
		SampleRatioMismatch over = SampleRatioMismatch.check(List.of(5165L, 4835L), List.of(1.0, 1.0), 0.001);

		assertThat(under.pValue()).isCloseTo(0.0010380708664139465, within(1e-13));
		assertThat(under.isMismatch()).isFalse();
		assertThat(over.pValue()).isCloseTo(0.000966848284767553, within(1e-13));
		assertThat(over.isMismatch()).isTrue();
		assertThat(SampleRatioMismatch.check(List.of(5165L, 4835L), List.of(1.0, 1.0), 0.0005).isMismatch())
			.isFalse();
	}

	@Test
	void refusesCountsAndWeightsThatDoNotFit() {
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(1L), List.of(1.0), 0.001))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(1L, 2L), List.of(1.0, 0.0), 0.001))
			.hasMessageContaining("positive");
		assertThatThrownBy(() -> SampleRatioMismatch.check(List.of(-1L, 2L), List.of(1.0, 1.0), 0.001))
			.hasMessageContaining("negative");
	}

}
