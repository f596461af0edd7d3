package dev.flywheel.monitoring.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QualityThresholdsTests {

	private static final QualityThresholds DEFAULTS = QualityThresholds.DEFAULTS;

	@Test
	void defaultsAre200RowsAndADropOfFivePoints() {
		assertThat(DEFAULTS).isEqualTo(new QualityThresholds(200, 0.05));
		// the standard error of an accuracy at 200 rows is at most sqrt(0.25/200) = 0.0354
		assertThat(Math.sqrt(0.25 / DEFAULTS.minimumRows())).isLessThanOrEqualTo(0.0354);
	}

	@Test
	void fewerRowsThanTheMinimumAreInsufficientWhateverTheAccuracy() {
		assertThat(DEFAULTS.judge(199, 0.0, 0.8)).isEqualTo(QualityVerdict.INSUFFICIENT);
		assertThat(DEFAULTS.judge(0, Double.NaN, 0.8)).isEqualTo(QualityVerdict.INSUFFICIENT);
		assertThat(DEFAULTS.judge(new ClassificationCounts().quality(), 0.8)).isEqualTo(QualityVerdict.INSUFFICIENT);
	}

	@Test
	void theMinimumRowsAreJudged() {
		assertThat(DEFAULTS.judge(200, 0.0, 0.8)).isEqualTo(QualityVerdict.DROPPED);
		assertThat(DEFAULTS.judge(200, 0.8, 0.8)).isEqualTo(QualityVerdict.OK);
	}

	@Test
	void anAccuracyExactlyTheAllowedDropBelowTheReferenceIsStillOk() {
		// reference 0.8 - 0.05 = 0.75 (exact in double); 150/200 = 0.75 is not below it, 149/200 = 0.745 is
		assertThat(DEFAULTS.judge(200, 150 / 200.0, 0.8)).isEqualTo(QualityVerdict.OK);
		assertThat(DEFAULTS.judge(200, 149 / 200.0, 0.8)).isEqualTo(QualityVerdict.DROPPED);
		// an accuracy above the reference is OK
		assertThat(DEFAULTS.judge(200, 0.95, 0.8)).isEqualTo(QualityVerdict.OK);
	}

	@Test
	void theAllowedDropIsConfigurable() {
		// reference 0.875 - 0.125 = 0.75 (exact): 0.75 OK, 0.745 DROPPED; with the default 0.05 both drop
		QualityThresholds lenient = QualityThresholds.withMaxDrop(0.125);
		assertThat(lenient.judge(200, 0.75, 0.875)).isEqualTo(QualityVerdict.OK);
		assertThat(lenient.judge(200, 0.745, 0.875)).isEqualTo(QualityVerdict.DROPPED);
		assertThat(DEFAULTS.judge(200, 0.75, 0.875)).isEqualTo(QualityVerdict.DROPPED);
		QualityThresholds strict = new QualityThresholds(1, 0);
		assertThat(strict.judge(1, 0.875, 0.875)).isEqualTo(QualityVerdict.OK);
		assertThat(strict.judge(1, 0.8749, 0.875)).isEqualTo(QualityVerdict.DROPPED);
	}

	@Test
	void judgesTheQualityOfCountedRows() {
		// 200 rows, 150 right: accuracy 0.75 against 0.8 is OK, against 0.81 (0.76 allowed) DROPPED
		ClassificationCounts counts = new ClassificationCounts();
		for (int i = 0; i < 200; i++) {
			counts.add(LabelledPrediction.of((i < 150) ? "a" : "b", "a", 0, 0));
		}
		ClassificationQuality quality = counts.quality();
		assertThat(DEFAULTS.judge(quality, 0.8)).isEqualTo(QualityVerdict.OK);
		assertThat(DEFAULTS.judge(quality, 0.81)).isEqualTo(QualityVerdict.DROPPED);
	}

	@Test
	void invalidThresholdsAndReferencesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new QualityThresholds(0, 0.05));
		assertThatIllegalArgumentException().isThrownBy(() -> new QualityThresholds(200, -0.01));
		assertThatIllegalArgumentException().isThrownBy(() -> new QualityThresholds(200, Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.judge(200, 0.8, Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.judge(200, 0.8, 1.5));
	}

}
