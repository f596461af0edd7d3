package dev.flywheel.router.decision;

/**
 * One look at an always-valid confidence sequence: the estimate, its interval and its always-valid p-value
 * ({@code statistics.md} §2.2). Unlike a fixed-horizon confidence interval, the sequence covers the true value at
 * every look at once with probability at least {@code 1 - α}, so it may be read after every feedback event.
 *
 * @param estimate the estimate: {@code Δ̂ = m_C - m_A} for a difference, the mean for a single sample
 * @param standardError its plug-in standard error
 * @param lower the lower end of the interval
 * @param upper the upper end of the interval
 * @param pValue the always-valid p-value for the null value the sequence was asked about (no difference, for a
 * difference of means)
 */
public record AlwaysValidInterval(double estimate, double standardError, double lower, double upper, double pValue) {

	public AlwaysValidInterval {
		if (!Double.isFinite(estimate) || !Double.isFinite(standardError) || standardError < 0) {
			throw new IllegalArgumentException(
					"An estimate and its standard error must be finite: " + estimate + " ± " + standardError);
		}
		if (!(lower <= upper)) {
			throw new IllegalArgumentException("An interval needs lower <= upper: [" + lower + ", " + upper + "]");
		}
		if (!(pValue >= 0 && pValue <= 1)) {
			throw new IllegalArgumentException("A p-value lies in [0, 1]: " + pValue);
		}
	}

	/** Whether the whole interval lies above {@code value}. */
	public boolean isAbove(double value) {
		return lower > value;
	}

	/** Whether the whole interval lies below {@code value}. */
	public boolean isBelow(double value) {
		return upper < value;
	}

	/**
	 * This look narrowed by an earlier look of the same sequence: the running intersection of the intervals and the
	 * running minimum of the p-values, which §2.2 notes stay valid (the guarantee is over all looks at once). The
	 * estimate and standard error stay this look's. Should the intersection be empty, which only happens when the
	 * sequence has already missed (the guarantee is asymptotic), this look's interval is kept.
	 */
	public AlwaysValidInterval narrowedBy(AlwaysValidInterval earlier) {
		double narrowedLower = Math.max(lower, earlier.lower);
		double narrowedUpper = Math.min(upper, earlier.upper);
		double narrowedP = Math.min(pValue, earlier.pValue);
		if (narrowedLower > narrowedUpper) {
			return new AlwaysValidInterval(estimate, standardError, lower, upper, narrowedP);
		}
		return new AlwaysValidInterval(estimate, standardError, narrowedLower, narrowedUpper, narrowedP);
	}

}
