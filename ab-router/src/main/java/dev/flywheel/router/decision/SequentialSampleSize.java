package dev.flywheel.router.decision;

/**
 * Plans how many matured rewards a challenger needs to show a given lift with the {@link MixtureConfidenceSequence},
 * for an even split between one challenger and the control.
 * <p>
 * With n rewards per variant the estimate's standard error is {@code SE = sqrt((v_A + v_C)/n)} and the interval
 * lies above zero once {@code Δ̂/SE} exceeds {@link MixtureConfidenceSequence#criticalZ(long) criticalZ(2n)}. At a true
 * lift Δ, {@code Δ̂/SE} is about normal with mean {@code Δ·sqrt(n/(v_A + v_C))}, so the planned size is the smallest
 * n with
 *
 * <pre>
 * Δ·sqrt(n/(v_A + v_C)) - criticalZ(2n) ≥ Φ⁻¹(power)
 * </pre>
 *
 * That is the chance that a single look at n shows the lift; the sequential test looks all along and stops at the
 * first look that shows it, so the share of tests that have shown the lift by n is higher than {@code power}. The
 * size is therefore a conservative "within": for a 2-point lift on a 0.80 accuracy (0.80 → 0.82) at α = 0.05, the
 * default N* of 5000 and 80% power it is 12,257 matured rewards per variant (24,514 in all), against 6,036 per variant
 * for a single fixed-horizon test; the simulation tests check the 80%.
 */
public final class SequentialSampleSize {

	private static final long LARGEST = 1L << 50;

	private SequentialSampleSize() {
	}

	/**
	 * The planned matured rewards per variant for a binary reward (accuracy, conversion).
	 *
	 * @param baseRate the control's success rate
	 * @param lift the absolute lift to show (0.02 for two points)
	 * @param power the wanted chance to show it, in (0, 1)
	 * @param sequence the confidence sequence that decides (its α and N*)
	 */
	public static long perVariantForRates(double baseRate, double lift, double power,
			MixtureConfidenceSequence sequence) {
		double challengerRate = baseRate + lift;
		if (!(baseRate > 0 && baseRate < 1 && challengerRate > 0 && challengerRate < 1)) {
			throw new IllegalArgumentException(
					"Both rates must lie strictly between 0 and 1: " + baseRate + " and " + challengerRate);
		}
		return perVariant(lift, baseRate * (1 - baseRate), challengerRate * (1 - challengerRate), power, sequence);
	}

	/**
	 * The planned matured rewards per variant for any reward.
	 *
	 * @param lift the difference of mean rewards to show, challenger minus control (its sign does not matter)
	 * @param controlVariance the variance of one control reward
	 * @param challengerVariance the variance of one challenger reward
	 * @param power the wanted chance to show the lift, in (0, 1)
	 * @param sequence the confidence sequence that decides (its α and N*)
	 */
	public static long perVariant(double lift, double controlVariance, double challengerVariance, double power,
			MixtureConfidenceSequence sequence) {
		if (lift == 0 || !Double.isFinite(lift)) {
			throw new IllegalArgumentException("A lift to show must be finite and non-zero: " + lift);
		}
		if (!(controlVariance >= 0 && challengerVariance >= 0 && controlVariance + challengerVariance > 0)) {
			throw new IllegalArgumentException(
					"Variances must be non-negative and not both zero: " + controlVariance + ", " + challengerVariance);
		}
		double zPower = Distributions.normalQuantile(power);
		double driftPerRootN = Math.abs(lift) / Math.sqrt(controlVariance + challengerVariance);
		// Double until the margin is reached, then bisect: the margin grows with n over the range searched.
		long low = 1;
		long high = 2;
		while (margin(high, driftPerRootN, sequence) < zPower) {
			low = high;
			high *= 2;
			if (high > LARGEST) {
				throw new IllegalArgumentException("The lift " + lift + " is too small to plan for");
			}
		}
		while (high - low > 1) {
			long middle = low + (high - low) / 2;
			if (margin(middle, driftPerRootN, sequence) >= zPower) {
				high = middle;
			}
			else {
				low = middle;
			}
		}
		return high;
	}

	private static double margin(long perVariant, double driftPerRootN, MixtureConfidenceSequence sequence) {
		return driftPerRootN * Math.sqrt(perVariant) - sequence.criticalZ(2 * perVariant);
	}

}
