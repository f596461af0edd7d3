package dev.flywheel.monitoring.quality;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts behind a classifier's live quality over one time bucket or a window of them: {@link #merge} adds
 * another bucket's counts, so a window's quality is that of the sum of its buckets. Not thread-safe.
 * <p>
 * The metrics of {@link #quality()}, on the n rows added, each scored on its {@link LabelledPrediction#servedLabel()
 * served label}:
 * <ul>
 * <li><b>Accuracy</b> {@code = (rows whose served label is the true label) / n}.</li>
 * <li><b>Macro F1</b>: the unweighted mean of each class's F1 over the classes seen among the true or the served
 * labels (scikit-learn's {@code f1_score(average="macro")} without {@code labels}); a class only in the
 * probabilities does not count. Precision and recall follow scikit-learn's {@code zero_division=0}: a class never
 * served has precision 0, and F1 is {@code 2·TP / (2·TP + FP + FN)}, which is 0 when TP is 0 (see
 * {@link ClassQuality}).</li>
 * <li><b>Log loss</b> {@code = -(1/m)·Σ ln(clip(p_i(y_i)))}, the cross-entropy of the probability each row gave its
 * true label, clipped to [{@value #LOG_LOSS_EPSILON}, 1 - {@value #LOG_LOSS_EPSILON}] (scikit-learn's
 * {@code log_loss} with its former {@code eps=1e-15}), over the m rows that have probabilities including their true
 * label. The probabilities are taken as given, not renormalised. Rows without probabilities and rows whose true
 * label is not among their probability classes are left out and counted apart (scikit-learn would raise an
 * error).</li>
 * <li><b>Expected calibration error</b> of the top-class confidence, over the rows with probabilities: each row's
 * confidence {@code c} is its highest probability, counted in bin {@code min(floor(10·c), 9)} of {@value #BINS}
 * equal-width bins ({@code [0, 0.1), [0.1, 0.2), …, [0.9, 1]}); then
 * {@code ECE = Σ_b (n_b / N)·|acc_b - conf_b|}, with {@code acc_b} the share of the bin's rows whose top class is
 * the true label, {@code conf_b} the mean confidence in the bin, {@code n_b} its rows and N all rows with
 * probabilities (Guo et al. 2017, <i>On Calibration of Modern Neural Networks</i>, eq. 3; empty bins add
 * nothing).</li>
 * </ul>
 */
public final class ClassificationCounts {

	/** Where the probability of the true label is clipped in log loss, and 1 minus where it is clipped above. */
	public static final double LOG_LOSS_EPSILON = 1e-15;

	/** The equal-width confidence bins of the expected calibration error. */
	public static final int BINS = 10;

	/** Rows by true label, then by served label. */
	private final Map<String, Map<String, Long>> confusion = new TreeMap<>();

	private long rows;

	private long correct;

	private double logLossSum;

	private long logLossRows;

	private long rowsWithoutProbabilities;

	private long rowsWithUnknownTrueLabel;

	private final long[] binRows = new long[BINS];

	private final long[] binHits = new long[BINS];

	private final double[] binConfidence = new double[BINS];

	/** Counts one labelled prediction. */
	public ClassificationCounts add(LabelledPrediction prediction) {
		String served = prediction.servedLabel();
		String truth = prediction.trueLabel();
		this.confusion.computeIfAbsent(truth, (label) -> new TreeMap<>()).merge(served, 1L, Long::sum);
		this.rows++;
		if (served.equals(truth)) {
			this.correct++;
		}
		if (!prediction.hasProbabilities()) {
			this.rowsWithoutProbabilities++;
			return this;
		}
		Map<String, Double> probabilities = prediction.probabilities();
		Double ofTruth = probabilities.get(truth);
		if (ofTruth != null) {
			double clipped = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, ofTruth));
			this.logLossSum -= Math.log(clipped);
			this.logLossRows++;
		}
		else {
			this.rowsWithUnknownTrueLabel++;
		}
		String top = prediction.topClass();
		double confidence = probabilities.get(top);
		int bin = Math.min(BINS - 1, (int) Math.floor(BINS * confidence));
		this.binRows[bin]++;
		this.binConfidence[bin] += confidence;
		if (top.equals(truth)) {
			this.binHits[bin]++;
		}
		return this;
	}

	/** Counts every labelled prediction of {@code predictions}. */
	public ClassificationCounts addAll(Iterable<LabelledPrediction> predictions) {
		predictions.forEach(this::add);
		return this;
	}

	/** Adds {@code other}'s counts to these. */
	public ClassificationCounts merge(ClassificationCounts other) {
		other.confusion.forEach((truth, served) -> {
			Map<String, Long> row = this.confusion.computeIfAbsent(truth, (label) -> new TreeMap<>());
			served.forEach((label, count) -> row.merge(label, count, Long::sum));
		});
		this.rows += other.rows;
		this.correct += other.correct;
		this.logLossSum += other.logLossSum;
		this.logLossRows += other.logLossRows;
		this.rowsWithoutProbabilities += other.rowsWithoutProbabilities;
		this.rowsWithUnknownTrueLabel += other.rowsWithUnknownTrueLabel;
		for (int bin = 0; bin < BINS; bin++) {
			this.binRows[bin] += other.binRows[bin];
			this.binHits[bin] += other.binHits[bin];
			this.binConfidence[bin] += other.binConfidence[bin];
		}
		return this;
	}

	/** The rows counted. */
	public long rows() {
		return this.rows;
	}

	/** The quality of the rows counted so far, as the class comment defines it. */
	public ClassificationQuality quality() {
		TreeMap<String, Long> support = new TreeMap<>();
		TreeMap<String, Long> served = new TreeMap<>();
		this.confusion.forEach((truth, row) -> row.forEach((label, count) -> {
			support.merge(truth, count, Long::sum);
			served.merge(label, count, Long::sum);
		}));
		TreeMap<String, Long> zeros = new TreeMap<>();
		support.keySet().forEach((label) -> zeros.put(label, 0L));
		served.keySet().forEach((label) -> zeros.put(label, 0L));
		Map<String, ClassQuality> classes = new TreeMap<>();
		Map<String, Map<String, Long>> confusion = new TreeMap<>();
		double f1Sum = 0;
		for (String label : zeros.keySet()) {
			Map<String, Long> row = new TreeMap<>(zeros);
			row.putAll(this.confusion.getOrDefault(label, Map.of()));
			confusion.put(label, Collections.unmodifiableMap(row));
			ClassQuality quality = ClassQuality.of(label, support.getOrDefault(label, 0L),
					served.getOrDefault(label, 0L), row.get(label));
			classes.put(label, quality);
			f1Sum += quality.f1();
		}
		return new ClassificationQuality(this.rows, share(this.correct, this.rows),
				classes.isEmpty() ? Double.NaN : f1Sum / classes.size(),
				(this.logLossRows > 0) ? this.logLossSum / this.logLossRows : Double.NaN, this.logLossRows,
				this.rowsWithoutProbabilities, this.rowsWithUnknownTrueLabel, expectedCalibrationError(),
				this.rows - this.rowsWithoutProbabilities, Collections.unmodifiableMap(classes),
				Collections.unmodifiableMap(confusion));
	}

	private double expectedCalibrationError() {
		long calibrationRows = this.rows - this.rowsWithoutProbabilities;
		if (calibrationRows == 0) {
			return Double.NaN;
		}
		double error = 0;
		for (int bin = 0; bin < BINS; bin++) {
			if (this.binRows[bin] > 0) {
				double accuracy = (double) this.binHits[bin] / this.binRows[bin];
				double confidence = this.binConfidence[bin] / this.binRows[bin];
				error += (double) this.binRows[bin] / calibrationRows * Math.abs(accuracy - confidence);
			}
		}
		return error;
	}

	private static double share(long count, long rows) {
		return (rows > 0) ? (double) count / rows : Double.NaN;
	}

}
