package dev.flywheel.monitoring.quality;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class QualityReportTests {

	@Test
	void aClassifierReportBundlesCoverageDelayAndQuality() {
		// 8 predictions, 4 labelled after 2, 4, 6 and 60 s: coverage 0.5, median rank 2 → 4 s, p90 rank 4 → 60 s
		List<LabelledPrediction> labelled = List.of(LabelledPrediction.of("a", "a", 0, 2_000),
				LabelledPrediction.of("a", "b", 0, 4_000),
				LabelledPrediction.of(Map.of("a", 0.3, "b", 0.7), "b", 0, 6_000),
				LabelledPrediction.of("b", "b", 1_000, 61_000));
		QualityReport report = QualityReport.ofClassifier(8, labelled);
		assertThat(report.coverage()).isEqualTo(new LabelCoverage(8, 4, 0.5));
		assertThat(report.delay()).isEqualTo(new LabelDelay(4, 4, 60, 60));
		assertThat(report.rows()).isEqualTo(4);
		assertThat(report.regression()).isNull();
		assertThat(report.classification().accuracy()).isEqualTo(0.75);
		assertThat(report.classification().logLoss()).isCloseTo(-Math.log(0.7), within(1e-12));
	}

	@Test
	void anEmptyWindowIsAllNaNAndNeverThrows() {
		QualityReport report = QualityReport.ofClassifier(0, List.of());
		assertThat(report.rows()).isZero();
		assertThat(report.coverage().coverage()).isNaN();
		assertThat(report.delay().medianSeconds()).isNaN();
		assertThat(report.classification().accuracy()).isNaN();
		assertThat(report.classification().macroF1()).isNaN();
		assertThat(report.classification().logLoss()).isNaN();
		assertThat(report.classification().expectedCalibrationError()).isNaN();
		// predictions without any feedback yet: coverage 0, the rest NaN
		QualityReport unlabelled = QualityReport.ofRegressor(25, List.of());
		assertThat(unlabelled.coverage().coverage()).isZero();
		assertThat(unlabelled.regression()).isEqualTo(new RegressionQuality(0, Double.NaN, Double.NaN, Double.NaN));
		assertThat(unlabelled.delay().p90Seconds()).isNaN();
	}

	@Test
	void regressionMetricsOfTheScikitLearnDocumentationExample() {
		// y_true (3, -0.5, 2, 7), y_pred (2.5, 0, 2, 8): errors (-0.5, 0.5, 0, 1)
		// MAE = 2/4 = 0.5 (sklearn mean_absolute_error = 0.5); MSE = (0.25 + 0.25 + 0 + 1)/4 = 0.375
		// (sklearn mean_squared_error = 0.375), RMSE = sqrt(0.375) = 0.61237; mean error = 1/4 = 0.25
		List<LabelledValue> labelled = List.of(new LabelledValue(2.5, 3, 0, 1_000),
				new LabelledValue(0, -0.5, 0, 1_000), new LabelledValue(2, 2, 0, 1_000),
				new LabelledValue(8, 7, 0, 3_000));
		QualityReport report = QualityReport.ofRegressor(4, labelled);
		RegressionQuality quality = report.regression();
		assertThat(quality.rows()).isEqualTo(4);
		assertThat(quality.meanAbsoluteError()).isCloseTo(0.5, within(1e-12));
		assertThat(quality.rootMeanSquaredError()).isCloseTo(Math.sqrt(0.375), within(1e-12));
		assertThat(quality.meanError()).isCloseTo(0.25, within(1e-12));
		assertThat(report.classification()).isNull();
		assertThat(report.coverage().coverage()).isEqualTo(1);
		assertThat(report.delay()).isEqualTo(new LabelDelay(4, 1, 3, 3));
		RegressionQuality merged = new RegressionCounts().addAll(labelled.subList(0, 1))
			.merge(new RegressionCounts().addAll(labelled.subList(1, 4)))
			.quality();
		assertThat(merged.rootMeanSquaredError()).isCloseTo(Math.sqrt(0.375), within(1e-12));
	}

	@Test
	void mergedCountsAndDelaysMakeTheSameReport() {
		ClassificationCounts counts = new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 1_000))
			.merge(new ClassificationCounts().add(LabelledPrediction.of("b", "a", 0, 3_000)));
		LabelDelays delays = new LabelDelays().add(0, 1_000).merge(new LabelDelays().add(0, 3_000));
		QualityReport report = QualityReport.ofClassifier(4, counts, delays);
		assertThat(report.coverage().coverage()).isEqualTo(0.5);
		assertThat(report.delay()).isEqualTo(new LabelDelay(2, 1, 3, 3));
		assertThat(report.classification().accuracy()).isEqualTo(0.5);
	}

	@Test
	void inconsistentInputsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QualityReport.ofClassifier(0, List.of(LabelledPrediction.of("a", "a", 0, 0))));
		assertThatIllegalArgumentException().isThrownBy(() -> QualityReport.ofClassifier(5,
				new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 0)), new LabelDelays()));
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelledValue(Double.NaN, 1, 0, 0));
	}

}
