package dev.flywheel.monitoring.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelCoverageTests {

	@Test
	void coverageIsTheLabelledShareOfThePredictions() {
		assertThat(LabelCoverage.of(1000, 250)).isEqualTo(new LabelCoverage(1000, 250, 0.25));
		assertThat(LabelCoverage.of(10, 0).coverage()).isZero();
		assertThat(LabelCoverage.of(10, 10).coverage()).isEqualTo(1);
	}

	@Test
	void aWindowWithoutPredictionsHasNaNCoverage() {
		assertThat(LabelCoverage.of(0, 0).coverage()).isNaN();
	}

	@Test
	void moreLabelledThanPredictedOrNegativeCountsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelCoverage.of(10, 11));
		assertThatIllegalArgumentException().isThrownBy(() -> LabelCoverage.of(-1, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> LabelCoverage.of(10, -1));
	}

}
