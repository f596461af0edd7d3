package dev.flywheel.monitoring.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.ReferenceProfile.CategoricalFeature;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulations behind {@link DriftThresholds#DEFAULTS}: a reference profiled from 10,000 draws of four
 * independent normal features and a three-class classifier's predictions on them, then live windows of the minimum
 * size (30 rows per decile bin: 300) drawn without drift (false alarms) and with one feature's mean shifted by half a
 * standard deviation (detection within two consecutive windows). A categorical simulation does the same for a
 * category share moving from 0.2 to 0.35.
 */
class DriftSimulationTests {

	private static final String[] NAMES = { "age", "income", "score", "latency" };

	private static final double[] MEANS = { 40, 52_000, 0, -3 };

	private static final double[] STDS = { 12, 15_000, 1, 0.5 };

	private static final int REFERENCE_ROWS = 10_000;

	private static final int WINDOW = 300;

	@Test
	void windowsWithoutDriftRaiseTheAlarmInUnderOnePercent() {
		SplittableRandom random = new SplittableRandom(20261127);
		DriftDetector detector = new DriftDetector(numericReference(random), DriftThresholds.DEFAULTS);
		int windows = 5000;
		int alarms = 0;
		double[] largestPsi = new double[windows];
		double[] largestWasserstein = new double[windows];
		for (int w = 0; w < windows; w++) {
			DriftReport report = detector.judge(numericWindow(detector.profile(), random, -1, 0));
			assertThat(report.judgedFeatures()).isEqualTo(NAMES.length);
			alarms += report.alarm() ? 1 : 0;
			largestPsi[w] = report.features().stream().mapToDouble(FeatureDrift::psi).max().orElseThrow();
			largestWasserstein[w] = report.features()
				.stream()
				.mapToDouble(FeatureDrift::normalizedWasserstein)
				.max()
				.orElseThrow();
		}
		double rate = (double) alarms / windows;
		System.out.printf("No drift, %d windows of %d rows: false alarm rate %.4f; largest PSI of 4 features "
				+ "median %.3f, 99th %.3f, max %.3f; largest normalized W1 median %.3f, 99th %.3f, max %.3f%n",
				windows, WINDOW, rate, quantile(largestPsi, 0.5), quantile(largestPsi, 0.99),
				quantile(largestPsi, 1), quantile(largestWasserstein, 0.5), quantile(largestWasserstein, 0.99),
				quantile(largestWasserstein, 1));
		assertThat(rate).isLessThan(0.01);
	}

	@Test
	void aHalfStandardDeviationShiftInOneFeatureRaisesTheAlarmWithinTwoWindows() {
		SplittableRandom random = new SplittableRandom(4242);
		DriftDetector detector = new DriftDetector(numericReference(random), DriftThresholds.DEFAULTS);
		int trials = 1000;
		int detected = 0;
		int firstWindow = 0;
		int psiAlone = 0;
		int wassersteinAlone = 0;
		double[] shiftedPsi = new double[trials];
		double[] shiftedWasserstein = new double[trials];
		for (int t = 0; t < trials; t++) {
			int shifted = t % NAMES.length;
			double direction = (t / NAMES.length) % 2 == 0 ? 0.5 : -0.5;
			DriftReport first = detector.judge(numericWindow(detector.profile(), random, shifted, direction));
			shiftedPsi[t] = first.feature(NAMES[shifted]).psi();
			shiftedWasserstein[t] = first.feature(NAMES[shifted]).normalizedWasserstein();
			psiAlone += (shiftedPsi[t] >= DriftThresholds.DEFAULTS.numericPsi()) ? 1 : 0;
			wassersteinAlone += (shiftedWasserstein[t] >= DriftThresholds.DEFAULTS.numericWasserstein()) ? 1 : 0;
			if (first.alarm()) {
				firstWindow++;
				detected++;
			}
			else if (detector.judge(numericWindow(detector.profile(), random, shifted, direction)).alarm()) {
				detected++;
			}
		}
		double rate = (double) detected / trials;
		System.out.printf("Shift of 0.5 std in one feature, %d trials: alarm in the first window %.4f, within two "
				+ "%.4f; shifted feature's PSI 1st percentile %.3f, median %.3f; normalized W1 1st percentile %.3f, "
				+ "median %.3f; in the first window PSI alone flags it in %.4f, W1 alone in %.4f%n", trials,
				(double) firstWindow / trials, rate, quantile(shiftedPsi, 0.01), quantile(shiftedPsi, 0.5),
				quantile(shiftedWasserstein, 0.01), quantile(shiftedWasserstein, 0.5), (double) psiAlone / trials,
				(double) wassersteinAlone / trials);
		assertThat(rate).isGreaterThanOrEqualTo(0.99);
	}

	@Test
	void aCategoryShareMovingFromTwentyToThirtyFivePercentIsDetectedAndNoDriftIsNot() {
		SplittableRandom random = new SplittableRandom(7);
		List<String> categories = List.of("north", "south", "east", "west", "centre");
		double[] reference = { 0.3, 0.2, 0.2, 0.15, 0.15 };
		// "south" gains 0.15, taken evenly from the others
		double[] drifted = { 0.2625, 0.35, 0.1625, 0.1125, 0.1125 };
		Map<String, Long> counts = new LinkedHashMap<>();
		for (int i = 0; i < REFERENCE_ROWS; i++) {
			counts.merge(categories.get(draw(random, reference)), 1L, Long::sum);
		}
		ReferenceProfile profile = new ReferenceProfile(REFERENCE_ROWS, Map.of(),
				Map.of("region", new CategoricalFeature(counts, 0)),
				new ReferenceProfile.Predictions(Map.of("yes", 1L), null));
		DriftDetector detector = new DriftDetector(profile, DriftThresholds.DEFAULTS);
		int rows = (int) DriftThresholds.DEFAULTS.minimumRows(categories.size());
		int windows = 5000;
		int falseAlarms = 0;
		int detected = 0;
		for (int w = 0; w < windows; w++) {
			falseAlarms += detector.judge(categoricalWindow(profile, random, categories, reference, rows)).alarm() ? 1
					: 0;
			detected += (detector.judge(categoricalWindow(profile, random, categories, drifted, rows)).alarm()
					|| detector.judge(categoricalWindow(profile, random, categories, drifted, rows)).alarm()) ? 1 : 0;
		}
		double falseAlarmRate = (double) falseAlarms / windows;
		double detectionRate = (double) detected / windows;
		System.out.printf("Categorical, windows of %d rows: false alarm rate %.4f, share 0.2 -> 0.35 detected "
				+ "within two windows %.4f%n", rows, falseAlarmRate, detectionRate);
		assertThat(falseAlarmRate).isLessThan(0.01);
		assertThat(detectionRate).isGreaterThanOrEqualTo(0.99);
	}

	/** The reference: four normal features and the class a linear score gives them. */
	private static ReferenceProfile numericReference(SplittableRandom random) {
		double[][] values = new double[NAMES.length][REFERENCE_ROWS];
		Map<String, Long> classes = new LinkedHashMap<>();
		for (int row = 0; row < REFERENCE_ROWS; row++) {
			double[] x = new double[NAMES.length];
			for (int f = 0; f < NAMES.length; f++) {
				x[f] = MEANS[f] + STDS[f] * random.nextGaussian();
				values[f][row] = x[f];
			}
			classes.merge(classify(x), 1L, Long::sum);
		}
		Map<String, NumericFeature> numeric = new LinkedHashMap<>();
		for (int f = 0; f < NAMES.length; f++) {
			numeric.put(NAMES[f], NumericFeature.of(values[f], ReferenceProfile.DEFAULT_BINS));
		}
		return new ReferenceProfile(REFERENCE_ROWS, numeric, Map.of(), new ReferenceProfile.Predictions(classes, null));
	}

	/** A window of the minimum size, feature {@code shifted} (none if negative) moved by {@code shift} stds. */
	private static LiveWindow numericWindow(ReferenceProfile profile, SplittableRandom random, int shifted,
			double shift) {
		LiveWindow window = LiveWindow.on(profile);
		CategoricalCounts predictions = (CategoricalCounts) window.predictions();
		for (int row = 0; row < WINDOW; row++) {
			double[] x = new double[NAMES.length];
			for (int f = 0; f < NAMES.length; f++) {
				double mean = MEANS[f] + ((f == shifted) ? shift * STDS[f] : 0);
				x[f] = mean + STDS[f] * random.nextGaussian();
				window.numeric(NAMES[f]).add(x[f]);
			}
			predictions.add(classify(x));
		}
		return window;
	}

	private static LiveWindow categoricalWindow(ReferenceProfile profile, SplittableRandom random,
			List<String> categories, double[] shares, int rows) {
		LiveWindow window = LiveWindow.on(profile);
		for (int row = 0; row < rows; row++) {
			window.categorical("region").add(categories.get(draw(random, shares)));
			((CategoricalCounts) window.predictions()).add("yes");
		}
		return window;
	}

	/** A plausible classifier: a weighted score of the standardised features, cut into three classes. */
	private static String classify(double[] x) {
		double score = 0.5 * (x[0] - MEANS[0]) / STDS[0] - 0.4 * (x[1] - MEANS[1]) / STDS[1]
				+ 0.6 * (x[2] - MEANS[2]) / STDS[2] + 0.2 * (x[3] - MEANS[3]) / STDS[3];
		if (score < -0.5) {
			return "reject";
		}
		return (score < 0.7) ? "review" : "approve";
	}

	private static int draw(SplittableRandom random, double[] shares) {
		double u = random.nextDouble();
		for (int i = 0; i < shares.length - 1; i++) {
			u -= shares[i];
			if (u < 0) {
				return i;
			}
		}
		return shares.length - 1;
	}

	private static double quantile(double[] values, double q) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	}

}
