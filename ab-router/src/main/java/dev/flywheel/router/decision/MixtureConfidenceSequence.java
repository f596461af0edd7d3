package dev.flywheel.router.decision;

/**
 * The normal-mixture always-valid confidence sequence of {@code statistics.md} §2.2 (the asymptotic confidence
 * sequence of Waudby-Smith et al. 2023, which GrowthBook uses; identical to Johari et al.'s mSPRT with a normal
 * mixing distribution). With the plug-in variances {@code v_k} of the two variants:
 *
 * <pre>
 * Δ̂   = m_C - m_A                        (challenger minus control)
 * SE² = v_C/n_C + v_A/n_A ;  t = n_A + n_C ;  σ̂² = SE²·t
 * ρ²  = (-2 ln α + ln(1 - 2 ln α)) / N*
 * half-width = σ̂ · sqrt( 2(tρ² + 1)/(t²ρ²) · ln( sqrt(tρ² + 1)/α ) )
 * z² = Δ̂²/SE² ;  E = (tρ² + 1)^(-1/2) · exp( ρ²t z² / (2(tρ² + 1)) ) ;  p = min(1, 1/E)
 * </pre>
 *
 * By Ville's inequality the interval misses the true difference at <em>any</em> look with probability at most α, so
 * it may be read after every feedback event. The guarantee rests on the central limit theorem with a plug-in
 * variance, so it is asymptotic: callers enforce a floor of samples per variant before acting on it (§2.2 suggests
 * 100 to 1000). {@code N*} is the total sample size at which the interval is tightest; §2.2 recommends the total
 * expected sample and GrowthBook's default is {@value #DEFAULT_MIXING_SAMPLE_SIZE}. The same mixture
 * (with {@code t = n}, {@code SE² = v/n}) gives a sequence on a single mean, which the guardrails use.
 */
public final class MixtureConfidenceSequence {

	/** {@code N*} when none is chosen: GrowthBook's default tuning parameter (§2.1). */
	public static final long DEFAULT_MIXING_SAMPLE_SIZE = 5000;

	private final double alpha;

	private final long mixingSampleSize;

	private final double rhoSquared;

	/**
	 * @param alpha the probability that the sequence ever misses, in (0, 1)
	 * @param mixingSampleSize {@code N*}, the total sample size where the interval is tightest
	 */
	public MixtureConfidenceSequence(double alpha, long mixingSampleSize) {
		this.rhoSquared = mixingVariance(alpha, mixingSampleSize);
		this.alpha = alpha;
		this.mixingSampleSize = mixingSampleSize;
	}

	/**
	 * {@code ρ² = (-2 ln α + ln(1 - 2 ln α)) / N*}, the mixing variance (per observation) that makes the interval
	 * tightest at {@code N*} samples. In mSPRT terms the mixing distribution on the difference is {@code N(0, τ²)}
	 * with {@code τ² = ρ²σ̂²}.
	 */
	public static double mixingVariance(double alpha, long mixingSampleSize) {
		if (!(alpha > 0 && alpha < 1)) {
			throw new IllegalArgumentException("α must lie strictly between 0 and 1: " + alpha);
		}
		if (mixingSampleSize < 1) {
			throw new IllegalArgumentException("N* must be a positive sample size: " + mixingSampleSize);
		}
		double logAlpha = Math.log(alpha);
		return (-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / mixingSampleSize;
	}

	public double alpha() {
		return alpha;
	}

	public long mixingSampleSize() {
		return mixingSampleSize;
	}

	/** {@code ρ²}. */
	public double rhoSquared() {
		return rhoSquared;
	}

	/**
	 * The sequence on {@code m_C - m_A}, the challenger's mean reward minus the control's, with the always-valid
	 * p-value for "no difference".
	 *
	 * @throws IllegalArgumentException when a variant has fewer than two rewards (no variance to plug in)
	 */
	public AlwaysValidInterval difference(RewardStats control, RewardStats challenger) {
		requireTwo(control, "control");
		requireTwo(challenger, "challenger");
		double estimate = challenger.mean() - control.mean();
		double se2 = challenger.variance() / challenger.count() + control.variance() / control.count();
		return interval(estimate, 0, se2, control.count() + challenger.count());
	}

	/**
	 * The sequence on one variant's mean, with the always-valid p-value for the mean being {@code nullMean}.
	 *
	 * @throws IllegalArgumentException when there are fewer than two rewards
	 */
	public AlwaysValidInterval mean(RewardStats sample, double nullMean) {
		requireTwo(sample, "sample");
		return interval(sample.mean(), nullMean, sample.variance() / sample.count(), sample.count());
	}

	/**
	 * The half-width in standard errors after {@code t} samples, {@code sqrt(2(tρ² + 1)/(tρ²) · ln(sqrt(tρ² + 1)/α))}:
	 * the interval excludes a value exactly when the estimate is more than this many standard errors away from it
	 * (about 3.0 to 3.2 between 2,000 and 50,000 samples at α = 0.05 and the default N*, against 1.96 for a single
	 * fixed-horizon look).
	 */
	public double criticalZ(long totalSamples) {
		if (totalSamples < 1) {
			throw new IllegalArgumentException("A sample size must be positive: " + totalSamples);
		}
		double trho2 = totalSamples * rhoSquared;
		return Math.sqrt(2 * (trho2 + 1) / trho2 * Math.log(Math.sqrt(trho2 + 1) / alpha));
	}

	private AlwaysValidInterval interval(double estimate, double nullValue, double se2, long t) {
		double se = Math.sqrt(se2);
		if (se2 == 0) {
			// Each variant's rewards are all one constant: the estimate is known exactly.
			return new AlwaysValidInterval(estimate, 0, estimate, estimate, estimate == nullValue ? 1 : 0);
		}
		double trho2 = t * rhoSquared;
		double sigma = Math.sqrt(se2 * t);
		double halfWidth = sigma
				* Math.sqrt(2 * (trho2 + 1) / (t * trho2) * Math.log(Math.sqrt(trho2 + 1) / alpha));
		double z2 = (estimate - nullValue) * (estimate - nullValue) / se2;
		double logE = -0.5 * Math.log(trho2 + 1) + trho2 * z2 / (2 * (trho2 + 1));
		double pValue = Math.min(1, Math.exp(-logE));
		return new AlwaysValidInterval(estimate, se, estimate - halfWidth, estimate + halfWidth, pValue);
	}

	private static void requireTwo(RewardStats stats, String what) {
		if (stats.count() < 2) {
			throw new IllegalArgumentException(
					"The " + what + " needs at least two rewards for a variance, has " + stats.count());
		}
	}

}
