package dev.flywheel.monitoring.drift;

import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;

/**
 * The drift measures of {@code statistics.md} §1.2, computed on counts over the same bins: the reference's counts
 * {@code R_i} (Σ = n) and the live window's {@code C_i} (Σ = m), with shares {@code r_i = R_i/n} and
 * {@code c_i = C_i/m}.
 * <ul>
 * <li>{@link #psi PSI} {@code = Σ (c_i - r_i)·ln(c_i/r_i)}, shares floored at {@value #EPSILON};</li>
 * <li>{@link #jensenShannonDistance Jensen–Shannon distance} {@code = sqrt(½·KL(r‖a) + ½·KL(c‖a))},
 * {@code a = (r + c)/2}, base 2, in [0, 1];</li>
 * <li>{@link #chiSquared Pearson's chi-squared} of the live counts against the reference's shares;</li>
 * <li>{@link #kolmogorovSmirnov Kolmogorov–Smirnov} {@code D} on the binned distribution functions, with its
 * asymptotic p-value;</li>
 * <li>{@link #normalizedWasserstein normalized Wasserstein-1}: the earth mover's distance between the binned
 * distributions with each bin's mass spread uniformly over it, over the reference's standard deviation.</li>
 * </ul>
 * Binning loses what happens inside a bin, so KS's {@code D} and W1 are lower bounds of the sample values on raw
 * data (for W1: exactly so when both samples are uniform within each bin) and the KS p-value errs on the side of no
 * drift. Every method throws {@link IllegalArgumentException} for counts of different lengths, a negative count, or a
 * side without any count.
 */
public final class DriftMeasures {

	/** The share an empty bin is floored at in PSI and in chi-squared's expected counts (Evidently's value). */
	public static final double EPSILON = 1e-4;

	/** Hipparchus's tolerance and term limit for the Kolmogorov series (those of its own approximate p-value). */
	private static final double KS_SUM_TOLERANCE = 1e-20;

	private static final int KS_SUM_TERMS = 100_000;

	/** Only {@link KolmogorovSmirnovTest#ksSum} is used, which reads no state. */
	private static final KolmogorovSmirnovTest KOLMOGOROV_SMIRNOV = new KolmogorovSmirnovTest();

	/** The smallest standard deviation {@link #normalizedWasserstein} divides by. */
	public static final double MIN_STD = 0.001;

	private DriftMeasures() {
	}

	/**
	 * The population stability index {@code Σ (c_i - r_i)·ln(c_i/r_i)}. Each share is floored at
	 * {@value #EPSILON} and the floored shares are <em>not</em> renormalised (as Evidently does), so that a bin empty
	 * on both sides adds exactly 0 and one empty on one side adds {@code (s - ε)·ln(s/ε)}. It is 0 for identical
	 * shares and {@code 2(1 - ε)·ln(1/ε) ≈ 18.42} for two one-bin distributions on different bins.
	 */
	public static double psi(long[] reference, long[] current) {
		double[] r = shares(reference, current.length);
		double[] c = shares(current, reference.length);
		double psi = 0;
		for (int i = 0; i < r.length; i++) {
			double ri = Math.max(r[i], EPSILON);
			double ci = Math.max(c[i], EPSILON);
			psi += (ci - ri) * Math.log(ci / ri);
		}
		return psi;
	}

	/**
	 * The Jensen–Shannon distance in base 2 (scipy's {@code jensenshannon(r, c, base=2)}), the square root of the
	 * divergence {@code ½·Σ r_i·log2(r_i/a_i) + ½·Σ c_i·log2(c_i/a_i)}, {@code a = (r + c)/2}, with
	 * {@code 0·log 0 = 0} (no floor is needed: {@code a_i > 0} wherever a term is). 0 for identical shares, 1 for
	 * disjoint ones.
	 */
	public static double jensenShannonDistance(long[] reference, long[] current) {
		double[] r = shares(reference, current.length);
		double[] c = shares(current, reference.length);
		double divergence = 0;
		for (int i = 0; i < r.length; i++) {
			double average = (r[i] + c[i]) / 2;
			if (r[i] > 0) {
				divergence += r[i] * Math.log(r[i] / average);
			}
			if (c[i] > 0) {
				divergence += c[i] * Math.log(c[i] / average);
			}
		}
		return Math.sqrt(Math.min(1, Math.max(0, divergence / (2 * Math.log(2)))));
	}

	/**
	 * Pearson's goodness of fit of the live counts to the reference's shares: {@code χ² = Σ (C_i - e_i)²/e_i} with
	 * {@code e_i = max(r_i, ε)·m} (the floored shares, not renormalised) and {@code k - 1} degrees of freedom, where
	 * k counts the bins with a count on either side (a bin empty on both carries no information, like the unseen
	 * bin of a categorical feature when nothing unseen came). The p-value is {@code P(χ²_{k-1} ≥ χ²)}, 1 when
	 * {@code k < 2}. A live count in a bin the reference left empty meets an expected count of {@code ε·m}, so a
	 * single such row makes χ² large: a category the reference never saw is drift by this test.
	 */
	public static ChiSquared chiSquared(long[] reference, long[] current) {
		double[] r = shares(reference, current.length);
		long m = total(current);
		double statistic = 0;
		int bins = 0;
		for (int i = 0; i < r.length; i++) {
			if (reference[i] == 0 && current[i] == 0) {
				continue;
			}
			bins++;
			double expected = Math.max(r[i], EPSILON) * m;
			double deviation = current[i] - expected;
			statistic += deviation * deviation / expected;
		}
		int degreesOfFreedom = bins - 1;
		if (degreesOfFreedom < 1) {
			return new ChiSquared(0, 0, 1);
		}
		double pValue = 1 - new ChiSquaredDistribution(degreesOfFreedom).cumulativeProbability(statistic);
		return new ChiSquared(statistic, degreesOfFreedom, Math.min(1, Math.max(0, pValue)));
	}

	/**
	 * The two-sample Kolmogorov–Smirnov statistic on the binned distribution functions,
	 * {@code D = max_j |F_ref(edge_j) - F_cur(edge_j)|} with {@code F(edge_j)} the share of the first j bins (the
	 * functions are known only at the edges), and the asymptotic p-value {@code P(K > sqrt(n_e)·D)} of the
	 * Kolmogorov distribution K (Hipparchus's series), {@code n_e = n·m/(n + m)}. Binning can only lower D, so the
	 * p-value is conservative.
	 *
	 * @param edges the bins' edges, one more than the counts
	 */
	public static KolmogorovSmirnov kolmogorovSmirnov(double[] edges, long[] reference, long[] current) {
		requireEdges(edges, reference);
		double[] r = shares(reference, current.length);
		double[] c = shares(current, reference.length);
		double referenceCdf = 0;
		double currentCdf = 0;
		double statistic = 0;
		for (int i = 0; i < r.length; i++) {
			referenceCdf += r[i];
			currentCdf += c[i];
			statistic = Math.max(statistic, Math.abs(referenceCdf - currentCdf));
		}
		double n = total(reference);
		double m = total(current);
		double effectiveSize = n * m / (n + m);
		double pValue = 1 - KOLMOGOROV_SMIRNOV.ksSum(Math.sqrt(effectiveSize) * statistic, KS_SUM_TOLERANCE,
				KS_SUM_TERMS);
		return new KolmogorovSmirnov(statistic, effectiveSize, Math.min(1, Math.max(0, pValue)));
	}

	/**
	 * The Wasserstein-1 distance {@code ∫|F_ref(x) - F_cur(x)| dx} between the binned distributions with each bin's
	 * mass spread uniformly over the bin, divided by {@code max(referenceStd, 0.001)} (Azure ML's and Evidently's
	 * normalisation). Both distribution functions are then linear within each bin, so is their difference
	 * {@code d(x)}, and the integral over a bin of width w from {@code d_0} to {@code d_1} is exact:
	 * {@code w·(|d_0| + |d_1|)/2} when they have the same sign, {@code w·(d_0² + d_1²)/(2(|d_0| + |d_1|))} when the
	 * line crosses 0. Mass the reference placed beyond its edges is in its outer bins, so the distance is measured
	 * between the reference's minimum and maximum.
	 *
	 * @param edges the bins' edges, one more than the counts, increasing
	 */
	public static double normalizedWasserstein(double[] edges, long[] reference, long[] current,
			double referenceStd) {
		requireEdges(edges, reference);
		double[] r = shares(reference, current.length);
		double[] c = shares(current, reference.length);
		double distance = 0;
		double before = 0;
		for (int i = 0; i < r.length; i++) {
			double after = before + r[i] - c[i];
			double width = edges[i + 1] - edges[i];
			double absBefore = Math.abs(before);
			double absAfter = Math.abs(after);
			if (absBefore + absAfter > 0) {
				boolean crosses = (before < 0 && after > 0) || (before > 0 && after < 0);
				distance += crosses ? width * (before * before + after * after) / (2 * (absBefore + absAfter))
						: width * (absBefore + absAfter) / 2;
			}
			before = after;
		}
		return distance / Math.max(referenceStd, MIN_STD);
	}

	/** The shares of each bin, checking the counts. */
	private static double[] shares(long[] counts, int expectedLength) {
		if (counts.length != expectedLength || counts.length == 0) {
			throw new IllegalArgumentException("Both sides need counts on the same bins: " + counts.length + " and "
					+ expectedLength + " bins");
		}
		long total = total(counts);
		if (total == 0) {
			throw new IllegalArgumentException("A drift measure needs at least one count on each side");
		}
		double[] shares = new double[counts.length];
		for (int i = 0; i < counts.length; i++) {
			shares[i] = (double) counts[i] / total;
		}
		return shares;
	}

	private static long total(long[] counts) {
		long total = 0;
		for (long count : counts) {
			if (count < 0) {
				throw new IllegalArgumentException("A count cannot be negative: " + count);
			}
			total += count;
		}
		return total;
	}

	private static void requireEdges(double[] edges, long[] counts) {
		if (edges.length != counts.length + 1) {
			throw new IllegalArgumentException("Expected " + (counts.length + 1) + " edges for " + counts.length
					+ " bins: " + edges.length);
		}
		for (int i = 1; i < edges.length; i++) {
			if (!(edges[i] >= edges[i - 1])) {
				throw new IllegalArgumentException("Bin edges must increase: " + edges[i - 1] + ", " + edges[i]);
			}
		}
	}

	/**
	 * Pearson's chi-squared of a live window against the reference.
	 *
	 * @param statistic {@code χ² = Σ (C_i - e_i)²/e_i}
	 * @param degreesOfFreedom the bins with a count on either side, less one
	 * @param pValue {@code P(χ²_df ≥ statistic)}, 1 without degrees of freedom
	 */
	public record ChiSquared(double statistic, int degreesOfFreedom, double pValue) {
	}

	/**
	 * The binned two-sample Kolmogorov–Smirnov test.
	 *
	 * @param statistic {@code D}, the largest gap between the binned distribution functions
	 * @param effectiveSize {@code n·m/(n + m)}
	 * @param pValue the asymptotic {@code P(K > sqrt(n_e)·D)}
	 */
	public record KolmogorovSmirnov(double statistic, double effectiveSize, double pValue) {
	}

}
