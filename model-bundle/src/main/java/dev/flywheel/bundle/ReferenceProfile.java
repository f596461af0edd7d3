package dev.flywheel.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The reference profile ({@code profile.json}): what the training data and the model's held-out predictions looked
 * like, so that monitoring can measure drift against it. Numeric features keep quantile bin edges with the count of
 * training rows in each bin (what PSI needs) and their moments; categorical features keep their category counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferenceProfile(long rows, Map<String, NumericFeature> numeric, Map<String, CategoricalFeature> categorical,
		Predictions predictions) {

	/** Quantile bins per numeric feature unless told otherwise: deciles, as the reference on drift recommends. */
	public static final int DEFAULT_BINS = 10;

	public ReferenceProfile {
		numeric = Collections.unmodifiableSortedMap(new TreeMap<>(numeric));
		categorical = Collections.unmodifiableSortedMap(new TreeMap<>(categorical));
		Objects.requireNonNull(predictions, "predictions");
	}

	/**
	 * A numeric feature. {@code binEdges} has one more element than {@code binCounts}; bin i holds values in
	 * [edge i, edge i+1), the last bin also its upper edge. Values outside the edges at serving time fall into the
	 * first or last bin.
	 */
	public record NumericFeature(List<Double> binEdges, List<Long> binCounts, double mean, double std, double min,
			double max, double nullShare) {

		public NumericFeature {
			binEdges = List.copyOf(binEdges);
			binCounts = List.copyOf(binCounts);
			if (binEdges.size() != binCounts.size() + 1) {
				throw new IllegalArgumentException("A profile needs one more bin edge than bin counts");
			}
		}

		/** Profiles {@code values}; NaN marks a missing value and counts toward the null share. */
		public static NumericFeature of(double[] values, int bins) {
			double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
			if (present.length == 0) {
				throw new IllegalArgumentException("Cannot profile a feature without values");
			}
			List<Double> edges = new ArrayList<>();
			edges.add(present[0]);
			for (int i = 1; i < bins; i++) {
				double edge = quantile(present, (double) i / bins);
				if (edge > edges.get(edges.size() - 1)) {
					edges.add(edge);
				}
			}
			double max = present[present.length - 1];
			if (max > edges.get(edges.size() - 1) || edges.size() == 1) {
				edges.add(max);
			}
			long[] counts = new long[edges.size() - 1];
			for (double value : present) {
				counts[binOf(edges, value)]++;
			}
			double mean = Arrays.stream(present).average().orElse(0);
			double variance = Arrays.stream(present).map(v -> (v - mean) * (v - mean)).sum()
					/ Math.max(1, present.length - 1);
			return new NumericFeature(edges, Arrays.stream(counts).boxed().toList(), mean, Math.sqrt(variance),
					present[0], max, (double) (values.length - present.length) / values.length);
		}

		/** The bin a value falls in, values beyond the edges counting in the first or last bin. */
		public int binOf(double value) {
			return binOf(binEdges, value);
		}

		private static int binOf(List<Double> edges, double value) {
			int bins = edges.size() - 1;
			for (int i = 1; i < bins; i++) {
				if (value < edges.get(i)) {
					return i - 1;
				}
			}
			return bins - 1;
		}

		/** Linear interpolation between closest ranks (numpy's default). */
		private static double quantile(double[] sorted, double q) {
			double position = q * (sorted.length - 1);
			int lower = (int) Math.floor(position);
			int upper = Math.min(lower + 1, sorted.length - 1);
			return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
		}

	}

	/** A categorical feature: how many training rows had each category, and the share with none. */
	public record CategoricalFeature(Map<String, Long> counts, double nullShare) {

		public CategoricalFeature {
			counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
		}

	}

	/**
	 * The model's predictions on the held-out split: the count of each predicted class for a classifier, or a numeric
	 * profile of the predicted values for a regressor.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Predictions(Map<String, Long> classCounts, NumericFeature values) {

		public Predictions {
			if ((classCounts == null) == (values == null)) {
				throw new IllegalArgumentException("Predictions are either class counts or numeric values");
			}
			classCounts = classCounts == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(classCounts));
		}

	}

}
