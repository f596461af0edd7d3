package dev.flywheel.monitoring.drift;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.ReferenceProfile.CategoricalFeature;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DriftDetectorTests {

	/** Deciles of 0..999: edges 0, 99.9, 199.8, …, 999, a hundred values per bin. */
	private static final NumericFeature LOAD = NumericFeature.of(IntStream.range(0, 1000).asDoubleStream().toArray(),
			10);

	private static final ReferenceProfile PROFILE = new ReferenceProfile(1000, Map.of("load", LOAD),
			Map.of("colour", new CategoricalFeature(Map.of("red", 500L, "blue", 500L), 0)),
			new ReferenceProfile.Predictions(Map.of("yes", 500L, "no", 500L), null));

	private final DriftDetector detector = new DriftDetector(PROFILE, DriftThresholds.DEFAULTS);

	@Test
	void numericCountsBinValuesOnTheReferenceEdgesAndCountNaNApart() {
		NumericCounts counts = new NumericCounts(LOAD).add(-50).add(0).add(150).add(5000).add(Double.NaN);
		assertThat(counts.counts()).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 0, 1);
		assertThat(counts.rows()).isEqualTo(4);
		assertThat(counts.nulls()).isEqualTo(1);
		counts.merge(NumericCounts.of(LOAD, new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 3 }, 2));
		assertThat(counts.counts()).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 0, 4);
		assertThat(counts.nulls()).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> NumericCounts.of(LOAD, new long[] { 1 }, 0));
	}

	@Test
	void categoricalCountsKeepOneBinForUnseenCategories() {
		CategoricalCounts counts = new CategoricalCounts(Map.of("red", 1L, "blue", 1L).keySet()).add("red")
			.add("green")
			.add(null);
		assertThat(counts.categories()).containsExactly("blue", "red");
		assertThat(counts.counts()).containsExactly(0, 1, 1);
		assertThat(counts.unseen()).isEqualTo(1);
		assertThat(counts.nulls()).isEqualTo(1);
		assertThat(CategoricalCounts.referenceBins(Map.of("red", 7L, "blue", 3L))).containsExactly(3, 7, 0);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> counts.merge(new CategoricalCounts(List.of("red"))));
	}

	@Test
	void aWindowBelowTheMinimumIsInsufficientNeverDriftOrNoDrift() {
		// even a window far off the reference is not judged below 30 rows per bin
		LiveWindow window = LiveWindow.on(PROFILE);
		for (int i = 0; i < 299; i++) {
			window.numeric("load").add(5000);
			window.categorical("colour").add("green");
			((CategoricalCounts) window.predictions()).add("no");
		}
		DriftReport report = this.detector.judge(window);
		FeatureDrift load = report.feature("load");
		assertThat(load.minimumRows()).isEqualTo(300);
		assertThat(load.verdict()).isEqualTo(Verdict.INSUFFICIENT);
		assertThat(load.psi()).isGreaterThan(1);
		assertThat(load.normalizedWasserstein()).isGreaterThan(1);
		assertThat(report.feature("colour").verdict()).isEqualTo(Verdict.INSUFFICIENT);
		assertThat(report.predictions().verdict()).isEqualTo(Verdict.INSUFFICIENT);
		assertThat(report.judgedFeatures()).isZero();
		assertThat(report.driftShare()).isZero();
		assertThat(report.alarm()).isFalse();
	}

	@Test
	void anEmptyWindowIsInsufficientWithoutMeasures() {
		DriftReport report = this.detector.judge(LiveWindow.on(PROFILE));
		assertThat(report.feature("load").verdict()).isEqualTo(Verdict.INSUFFICIENT);
		assertThat(report.feature("load").psi()).isNaN();
		assertThat(report.alarm()).isFalse();
	}

	@Test
	void aWindowLikeTheReferenceDoesNotDrift() {
		DriftReport report = this.detector.judge(window(1000, 0));
		assertThat(report.features()).allSatisfy(feature -> assertThat(feature.verdict()).isEqualTo(Verdict.NO_DRIFT));
		assertThat(report.feature("load").psi()).isZero();
		assertThat(report.feature("load").normalizedWasserstein()).isZero();
		assertThat(report.feature("colour").kolmogorovSmirnov()).isNaN();
		assertThat(report.predictions().verdict()).isEqualTo(Verdict.NO_DRIFT);
		assertThat(report.judgedFeatures()).isEqualTo(2);
		assertThat(report.alarm()).isFalse();
	}

	@Test
	void oneDriftedFeatureRaisesTheAlarmAndCountsInTheShare() {
		// load shifted by 200 of its 1000: PSI and W1 far over their thresholds
		DriftReport report = this.detector.judge(window(1000, 200));
		assertThat(report.feature("load").verdict()).isEqualTo(Verdict.DRIFT);
		assertThat(report.feature("colour").verdict()).isEqualTo(Verdict.NO_DRIFT);
		assertThat(report.driftShare()).isEqualTo(0.5);
		assertThat(report.alarm()).isTrue();
		// without the any-feature rule only the share decides: 1 of 2 reaches 0.5, not 0.6
		DriftThresholds halfShare = new DriftThresholds(0.2, 0.35, 0.1, 0.001, 0.2, 0.5, false, 30);
		assertThat(new DriftDetector(PROFILE, halfShare).judge(window(1000, 200)).alarm()).isTrue();
		DriftThresholds largerShare = new DriftThresholds(0.2, 0.35, 0.1, 0.001, 0.2, 0.6, false, 30);
		assertThat(new DriftDetector(PROFILE, largerShare).judge(window(1000, 200)).alarm()).isFalse();
	}

	@Test
	void predictionDriftAloneRaisesTheAlarm() {
		LiveWindow window = window(1000, 0);
		LiveWindow skewed = LiveWindow.on(PROFILE);
		for (int i = 0; i < 1000; i++) {
			skewed.numeric("load").add(i);
			skewed.categorical("colour").add((i % 2 == 0) ? "red" : "blue");
			((CategoricalCounts) skewed.predictions()).add((i < 900) ? "yes" : "no");
		}
		assertThat(this.detector.judge(window).alarm()).isFalse();
		DriftReport report = this.detector.judge(skewed);
		assertThat(report.driftedFeatures()).isZero();
		assertThat(report.predictions().verdict()).isEqualTo(Verdict.DRIFT);
		assertThat(report.alarm()).isTrue();
	}

	@Test
	void windowsMergeTheirBuckets() {
		LiveWindow window = window(150, 0).merge(window(150, 0));
		assertThat(window.numeric("load").rows()).isEqualTo(300);
		assertThat(this.detector.judge(window).feature("load").verdict()).isEqualTo(Verdict.NO_DRIFT);
		assertThatIllegalArgumentException().isThrownBy(() -> window.numeric("unknown"));
	}

	/** {@code rows} rows spread evenly over the reference's range, moved by {@code shift}, and even categories. */
	private static LiveWindow window(int rows, double shift) {
		LiveWindow window = LiveWindow.on(PROFILE);
		for (int i = 0; i < rows; i++) {
			window.numeric("load").add(i * 1000.0 / rows + shift);
			window.categorical("colour").add((i % 2 == 0) ? "red" : "blue");
			((CategoricalCounts) window.predictions()).add((i % 2 == 0) ? "yes" : "no");
		}
		return window;
	}

}
