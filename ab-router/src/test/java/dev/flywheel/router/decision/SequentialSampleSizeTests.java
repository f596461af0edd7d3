package dev.flywheel.router.decision;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequentialSampleSizeTests {

	private final MixtureConfidenceSequence sequence = new MixtureConfidenceSequence(0.05, 5000);

	@Test
	void twoPointsOnEightyPercentNeedAbout12300MaturedLabelsPerVariant() {
		// the smallest n with 0.02·sqrt(n/(0.16 + 0.1476)) - criticalZ(2n) ≥ Φ⁻¹(0.8) = 0.84162:
		// n = 12,256 gives 0.84152, n = 12,257 gives 0.84167
		assertThat(SequentialSampleSize.perVariantForRates(0.80, 0.02, 0.80, sequence)).isEqualTo(12_257);
		assertThat(SequentialSampleSize.perVariantForRates(0.80, 0.02, 0.80, sequence))
			.isEqualTo(DecisionSimulationTests.PLANNED_PER_VARIANT);
	}

	@Test
	void theSequentialTestNeedsAboutTwiceTheFixedHorizonSample() {
		// a single look at α = 0.05 two-sided needs (1.95996 + 0.84162)²·0.3076/0.02² = 6,036 per variant
		long planned = SequentialSampleSize.perVariantForRates(0.80, 0.02, 0.80, sequence);

		assertThat(planned).isBetween(2 * 6036L - 200, 2 * 6036L + 400);
	}

	@Test
	void theSignOfTheLiftDoesNotMatterButItsSizeDoes() {
		long twoPoints = SequentialSampleSize.perVariant(0.02, 0.16, 0.1476, 0.8, sequence);

		assertThat(SequentialSampleSize.perVariant(-0.02, 0.16, 0.1476, 0.8, sequence)).isEqualTo(twoPoints);
		assertThat(SequentialSampleSize.perVariant(0.04, 0.16, 0.1476, 0.8, sequence)).isLessThan(twoPoints / 3);
		assertThat(SequentialSampleSize.perVariant(0.02, 0.16, 0.1476, 0.9, sequence)).isGreaterThan(twoPoints);
	}

	@Test
	void refusesWhatCannotBePlanned() {
		assertThatThrownBy(() -> SequentialSampleSize.perVariant(0, 0.16, 0.16, 0.8, sequence))
			.hasMessageContaining("non-zero");
		assertThatThrownBy(() -> SequentialSampleSize.perVariantForRates(0.99, 0.02, 0.8, sequence))
			.hasMessageContaining("strictly between 0 and 1");
		assertThatThrownBy(() -> SequentialSampleSize.perVariant(0.02, 0.16, 0.16, 1, sequence))
			.hasMessageContaining("probability");
	}

}
