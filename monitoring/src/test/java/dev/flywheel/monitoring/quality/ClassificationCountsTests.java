package dev.flywheel.monitoring.quality;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

class ClassificationCountsTests {

	/**
	 * Three classes, six rows, each served as its top class, with confidences in the middle of their bins:
	 * <pre>
	 * true  probabilities (a, b, c)   served  confidence  p(true)
	 * a     0.75  0.15  0.10          a       0.75 ✓      0.75
	 * a     0.35  0.55  0.10          b       0.55 ✗      0.35
	 * b     0.05  0.85  0.10          b       0.85 ✓      0.85
	 * b     0.15  0.20  0.65          c       0.65 ✗      0.20
	 * c     0.03  0.02  0.95          c       0.95 ✓      0.95
	 * c     0.25  0.10  0.65          c       0.65 ✓      0.65
	 * </pre>
	 */
	private static final List<LabelledPrediction> THREE_CLASSES = List.of(
			LabelledPrediction.of(Map.of("a", 0.75, "b", 0.15, "c", 0.10), "a", 0, 1),
			LabelledPrediction.of(Map.of("a", 0.35, "b", 0.55, "c", 0.10), "a", 0, 1),
			LabelledPrediction.of(Map.of("a", 0.05, "b", 0.85, "c", 0.10), "b", 0, 1),
			LabelledPrediction.of(Map.of("a", 0.15, "b", 0.20, "c", 0.65), "b", 0, 1),
			LabelledPrediction.of(Map.of("a", 0.03, "b", 0.02, "c", 0.95), "c", 0, 1),
			LabelledPrediction.of(Map.of("a", 0.25, "b", 0.10, "c", 0.65), "c", 0, 1));

	@Test
	void accuracyOfHandComputedExample() {
		// 4 of 6 served labels are right; sklearn accuracy_score(y_true, y_pred) = 0.6667 on the same labels
		ClassificationQuality quality = new ClassificationCounts().addAll(THREE_CLASSES).quality();
		assertThat(quality.rows()).isEqualTo(6);
		assertThat(quality.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
	}

	@Test
	void perClassPrecisionRecallAndMacroF1OfHandComputedExample() {
		// confusion (true → served): a → {a 1, b 1}, b → {b 1, c 1}, c → {c 2}
		// a: TP 1, FP 0, FN 1: P = 1, R = 1/2, F1 = 2/(2 + 0 + 1) = 2/3
		// b: TP 1, FP 1, FN 1: P = 1/2, R = 1/2, F1 = 2/(2 + 1 + 1) = 1/2
		// c: TP 2, FP 1, FN 0: P = 2/3, R = 1, F1 = 4/(4 + 1 + 0) = 4/5
		// macro F1 = (2/3 + 1/2 + 4/5)/3 = (20 + 15 + 24)/90 = 59/90 = 0.65556
		// (sklearn f1_score(average="macro") = 0.6556, precision_recall_fscore_support as above)
		ClassificationQuality quality = new ClassificationCounts().addAll(THREE_CLASSES).quality();
		assertThat(quality.classes()).containsOnlyKeys("a", "b", "c");
		assertClass(quality.of("a"), 2, 1, 1, 1.0, 0.5, 2.0 / 3);
		assertClass(quality.of("b"), 2, 2, 1, 0.5, 0.5, 0.5);
		assertClass(quality.of("c"), 2, 3, 2, 2.0 / 3, 1.0, 0.8);
		assertThat(quality.macroF1()).isCloseTo(59.0 / 90, within(1e-12));
		assertThat(quality.support()).containsExactly(entry("a", 2L), entry("b", 2L), entry("c", 2L));
		assertThat(quality.confusion()).containsExactly(entry("a", Map.of("a", 1L, "b", 1L, "c", 0L)),
				entry("b", Map.of("a", 0L, "b", 1L, "c", 1L)), entry("c", Map.of("a", 0L, "b", 0L, "c", 2L)));
		assertThat(quality.confusion().get("a").keySet()).containsExactly("a", "b", "c");
	}

	@Test
	void logLossOfHandComputedExample() {
		// -(ln 0.75 + ln 0.35 + ln 0.85 + ln 0.20 + ln 0.95 + ln 0.65)/6
		// = (0.28768 + 1.04982 + 0.16252 + 1.60944 + 0.05129 + 0.43078)/6 = 3.59154/6 = 0.59859
		// (sklearn log_loss(y_true, proba, labels=["a", "b", "c"]) = 0.5986: the rows sum to 1)
		ClassificationQuality quality = new ClassificationCounts().addAll(THREE_CLASSES).quality();
		assertThat(quality.logLoss()).isCloseTo(0.5985895415603898, within(1e-12));
		assertThat(quality.logLossRows()).isEqualTo(6);
		assertThat(quality.rowsWithoutProbabilities()).isZero();
		assertThat(quality.rowsWithUnknownTrueLabel()).isZero();
	}

	@Test
	void expectedCalibrationErrorOfHandComputedExample() {
		// bins floor(10·c): 5 {0.55 ✗}, 6 {0.65 ✗, 0.65 ✓}, 7 {0.75 ✓}, 8 {0.85 ✓}, 9 {0.95 ✓}
		// |acc - conf|: 5: |0 - 0.55| = 0.55, 6: |0.5 - 0.65| = 0.15, 7: 0.25, 8: 0.15, 9: 0.05
		// ECE = (1·0.55 + 2·0.15 + 1·0.25 + 1·0.15 + 1·0.05)/6 = 1.30/6 = 0.21667
		ClassificationQuality quality = new ClassificationCounts().addAll(THREE_CLASSES).quality();
		assertThat(quality.expectedCalibrationError()).isCloseTo(1.3 / 6, within(1e-12));
		assertThat(quality.calibrationRows()).isEqualTo(6);
	}

	@Test
	void scikitLearnDocumentationExamples() {
		// f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro") = 0.26666...
		// 0: TP 2, FP 1, FN 0: F1 = 4/5; 1 and 2: TP 0: F1 = 0; (4/5)/3 = 0.26667
		ClassificationCounts f1 = new ClassificationCounts();
		String[] truth = { "0", "1", "2", "0", "1", "2" };
		String[] served = { "0", "2", "1", "0", "0", "1" };
		for (int i = 0; i < truth.length; i++) {
			f1.add(LabelledPrediction.of(served[i], truth[i], 0, 0));
		}
		assertThat(f1.quality().macroF1()).isCloseTo(0.8 / 3, within(1e-12));
		assertThat(f1.quality().accuracy()).isCloseTo(2.0 / 6, within(1e-12));
		// log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616...
		// columns (ham, spam): p(true) = 0.9, 0.9, 0.8, 0.65; (0.10536 + 0.10536 + 0.22314 + 0.43078)/4 = 0.21616
		ClassificationQuality logLoss = new ClassificationCounts()
			.add(LabelledPrediction.of(Map.of("ham", 0.1, "spam", 0.9), "spam", 0, 0))
			.add(LabelledPrediction.of(Map.of("ham", 0.9, "spam", 0.1), "ham", 0, 0))
			.add(LabelledPrediction.of(Map.of("ham", 0.8, "spam", 0.2), "ham", 0, 0))
			.add(LabelledPrediction.of(Map.of("ham", 0.35, "spam", 0.65), "spam", 0, 0))
			.quality();
		assertThat(logLoss.logLoss()).isCloseTo(0.21616187468057912, within(1e-12));
	}

	@Test
	void aClassNeverServedHasPrecisionZeroByTheZeroDivisionConvention() {
		// true (a, a, b), served (a, a, a): a: TP 2, FP 1, FN 0: P = 2/3, R = 1, F1 = 4/5;
		// b: TP 0, FP 0, FN 1: P = 0/0 → 0, R = 0, F1 = 0; macro = 0.4
		// (sklearn f1_score(..., average="macro", zero_division=0) = 0.4)
		ClassificationQuality quality = new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 0))
			.add(LabelledPrediction.of("a", "a", 0, 0))
			.add(LabelledPrediction.of("a", "b", 0, 0))
			.quality();
		assertClass(quality.of("b"), 1, 0, 0, 0, 0, 0);
		assertThat(quality.macroF1()).isCloseTo(0.4, within(1e-12));
	}

	@Test
	void aClassOnlyServedHasRecallZeroAndCountsInMacroF1() {
		// true (a, a), served (a, x): a: TP 1, FP 0, FN 1: F1 = 2/3; x: TP 0, FP 1, FN 0: P = 0, R = 0/0 → 0, F1 = 0
		ClassificationQuality quality = new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 0))
			.add(LabelledPrediction.of("x", "a", 0, 0))
			.quality();
		assertClass(quality.of("x"), 0, 1, 0, 0, 0, 0);
		assertThat(quality.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
		assertThat(quality.support()).containsExactly(entry("a", 2L), entry("x", 0L));
	}

	@Test
	void oneClassOnly() {
		// every row true a, served a with p(a) = 1: accuracy 1, macro F1 1 (sklearn gives 1.0),
		// log loss -ln(1 - 1e-15) ≈ 1e-15 after clipping (sklearn refuses a single label), ECE |1 - 1| = 0 in bin 9
		ClassificationQuality quality = new ClassificationCounts()
			.add(LabelledPrediction.of(Map.of("a", 1.0), "a", 0, 0))
			.add(LabelledPrediction.of(Map.of("a", 1.0), "a", 0, 0))
			.quality();
		assertThat(quality.accuracy()).isEqualTo(1);
		assertThat(quality.macroF1()).isEqualTo(1);
		assertThat(quality.logLoss()).isCloseTo(1e-15, within(1e-16));
		assertThat(quality.expectedCalibrationError()).isZero();
		assertThat(quality.confusion()).containsExactly(entry("a", Map.of("a", 2L)));
	}

	@Test
	void logLossClipsAZeroProbabilityOfTheTrueLabel() {
		// p(true) = 0 → 1e-15: -ln 1e-15 = 34.53878; with a second row at p(true) = 1 → ~1e-15: mean 17.26939
		ClassificationQuality quality = new ClassificationCounts()
			.add(LabelledPrediction.of(Map.of("a", 1.0, "b", 0.0), "b", 0, 0))
			.add(LabelledPrediction.of(Map.of("a", 1.0, "b", 0.0), "a", 0, 0))
			.quality();
		assertThat(quality.logLoss()).isCloseTo(-Math.log(1e-15) / 2, within(1e-12));
	}

	@Test
	void rowsWithoutProbabilitiesCountInAccuracyButNotInLogLossOrCalibration() {
		ClassificationQuality quality = new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 0))
			.add(LabelledPrediction.of("b", "a", 0, 0))
			.quality();
		assertThat(quality.accuracy()).isEqualTo(0.5);
		assertThat(quality.rowsWithoutProbabilities()).isEqualTo(2);
		assertThat(quality.logLossRows()).isZero();
		assertThat(quality.calibrationRows()).isZero();
		assertThat(quality.logLoss()).isNaN();
		assertThat(quality.expectedCalibrationError()).isNaN();
		// one row with probabilities among them: log loss -ln 0.8 and ECE |1 - 0.8| = 0.2 on that row alone
		ClassificationQuality mixed = new ClassificationCounts().add(LabelledPrediction.of("a", "a", 0, 0))
			.add(LabelledPrediction.of(Map.of("a", 0.8, "b", 0.2), "a", 0, 0))
			.quality();
		assertThat(mixed.rows()).isEqualTo(2);
		assertThat(mixed.rowsWithoutProbabilities()).isEqualTo(1);
		assertThat(mixed.logLoss()).isCloseTo(-Math.log(0.8), within(1e-12));
		assertThat(mixed.expectedCalibrationError()).isCloseTo(0.2, within(1e-12));
	}

	@Test
	void aTrueLabelOutsideTheProbabilityClassesIsLeftOutOfLogLossAndIsAMissInCalibration() {
		// row 1: (a 0.8, b 0.2), true a: log loss -ln 0.8; bin 8, hit
		// row 2: (a 0.9, b 0.1), true z: no log loss; bin 9, miss
		// ECE = ½·|1 - 0.8| + ½·|0 - 0.9| = 0.1 + 0.45 = 0.55
		// classes a, z (b is only in the probabilities): a: TP 1, FP 1, FN 0: F1 = 2/3; z: TP 0: F1 = 0; macro 1/3
		ClassificationQuality quality = new ClassificationCounts()
			.add(LabelledPrediction.of(Map.of("a", 0.8, "b", 0.2), "a", 0, 0))
			.add(LabelledPrediction.of(Map.of("a", 0.9, "b", 0.1), "z", 0, 0))
			.quality();
		assertThat(quality.rowsWithUnknownTrueLabel()).isEqualTo(1);
		assertThat(quality.logLossRows()).isEqualTo(1);
		assertThat(quality.logLoss()).isCloseTo(-Math.log(0.8), within(1e-12));
		assertThat(quality.calibrationRows()).isEqualTo(2);
		assertThat(quality.expectedCalibrationError()).isCloseTo(0.55, within(1e-12));
		assertThat(quality.classes()).containsOnlyKeys("a", "z");
		assertThat(quality.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
		assertThat(quality.accuracy()).isEqualTo(0.5);
	}

	@Test
	void theServedLabelIsScoredAndTheTopClassIsCalibrated() {
		// served b while the probabilities' top class is a (0.6), true a:
		// accuracy 0 (b ≠ a); calibration on the top class: bin 6, hit, ECE |1 - 0.6| = 0.4
		ClassificationQuality quality = new ClassificationCounts()
			.add(new LabelledPrediction("b", Map.of("a", 0.6, "b", 0.4), "a", 0, 0))
			.quality();
		assertThat(quality.accuracy()).isZero();
		assertThat(quality.expectedCalibrationError()).isCloseTo(0.4, within(1e-12));
	}

	@Test
	void aTieOfTopClassesIsTheFirstInClassOrder() {
		LabelledPrediction tie = LabelledPrediction.of(Map.of("b", 0.5, "a", 0.5), "b", 0, 0);
		assertThat(tie.topClass()).isEqualTo("a");
		assertThat(tie.servedLabel()).isEqualTo("a");
	}

	@Test
	void emptyCountsGiveNaNAndNoRows() {
		ClassificationQuality quality = new ClassificationCounts().quality();
		assertThat(quality.rows()).isZero();
		assertThat(quality.accuracy()).isNaN();
		assertThat(quality.macroF1()).isNaN();
		assertThat(quality.logLoss()).isNaN();
		assertThat(quality.expectedCalibrationError()).isNaN();
		assertThat(quality.logLossRows()).isZero();
		assertThat(quality.calibrationRows()).isZero();
		assertThat(quality.classes()).isEmpty();
		assertThat(quality.confusion()).isEmpty();
		assertThat(quality.support()).isEmpty();
	}

	@Test
	void mergedBucketsGiveTheQualityOfTheWholeWindow() {
		ClassificationCounts first = new ClassificationCounts().addAll(THREE_CLASSES.subList(0, 2));
		ClassificationCounts second = new ClassificationCounts().addAll(THREE_CLASSES.subList(2, 6));
		ClassificationQuality merged = first.merge(second).merge(new ClassificationCounts()).quality();
		ClassificationQuality whole = new ClassificationCounts().addAll(THREE_CLASSES).quality();
		assertThat(merged.rows()).isEqualTo(6);
		assertThat(merged.accuracy()).isEqualTo(whole.accuracy());
		assertThat(merged.macroF1()).isEqualTo(whole.macroF1());
		assertThat(merged.logLoss()).isCloseTo(whole.logLoss(), within(1e-12));
		assertThat(merged.expectedCalibrationError()).isCloseTo(whole.expectedCalibrationError(), within(1e-12));
		assertThat(merged.confusion()).isEqualTo(whole.confusion());
		assertThat(merged.classes()).isEqualTo(whole.classes());
	}

	@Test
	void invalidRowsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelledPrediction.of("a", null, 0, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelledPrediction(null, null, "a", 0, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelledPrediction(null, Map.of(), "a", 0, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> LabelledPrediction.of(Map.of("a", 1.5), "a", 0, 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LabelledPrediction.of(Map.of("a", Double.NaN), "a", 0, 0));
	}

	private static void assertClass(ClassQuality quality, long support, long predicted, long truePositives,
			double precision, double recall, double f1) {
		assertThat(quality.support()).isEqualTo(support);
		assertThat(quality.predicted()).isEqualTo(predicted);
		assertThat(quality.truePositives()).isEqualTo(truePositives);
		assertThat(quality.precision()).isCloseTo(precision, within(1e-12));
		assertThat(quality.recall()).isCloseTo(recall, within(1e-12));
		assertThat(quality.f1()).isCloseTo(f1, within(1e-12));
	}

}
