package dev.flywheel.router.decision;

/**
 * The few distribution functions the decisions need: the chi-squared survival function (the classic SRM p-value), the
 * standard normal distribution function and quantile (sample-size planning), and {@code ln Γ} (the SRM Bayes factor).
 * The first two rest on the regularized incomplete gamma function, computed by its power series below {@code a + 1}
 * and by its continued fraction above (Numerical Recipes §6.2), which keeps tiny tail probabilities accurate instead
 * of losing them to {@code 1 - P}.
 * <p>
 * The incomplete gamma function only meets shapes that are multiples of ½ (chi-squared with whole degrees of freedom,
 * the normal as chi-squared with one), for which {@link #logGammaOfHalfInteger} is exact. The Dirichlet-multinomial
 * Bayes factor of {@link SampleRatioMismatch} needs {@code ln Γ} at any positive real: {@link #logGamma}.
 */
final class Distributions {

	private static final double EPSILON = 1e-15;

	private static final double TINY = 1e-300;

	private static final int MAX_ITERATIONS = 10_000;

	/** {@code ½·ln(2π)}. */
	private static final double HALF_LOG_TWO_PI = 0.9189385332046728;

	/** Below this, {@link #logGamma} shifts its argument up by {@code Γ(x + 1) = x·Γ(x)} before Stirling's series. */
	private static final double STIRLING_FROM = 15;

	/**
	 * The coefficients {@code B_2k / (2k(2k - 1))} of Stirling's series for {@code ln Γ}, k = 1..6: 1/12, -1/360,
	 * 1/1260, -1/1680, 1/1188, -691/360360.
	 */
	private static final double[] STIRLING = { 1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
			-691.0 / 360360 };

	private Distributions() {
	}

	/** {@code P(X ≥ x)} for X chi-squared with {@code degreesOfFreedom} degrees of freedom. */
	static double chiSquaredSurvival(double x, int degreesOfFreedom) {
		if (degreesOfFreedom < 1) {
			throw new IllegalArgumentException("Degrees of freedom must be positive: " + degreesOfFreedom);
		}
		if (Double.isNaN(x)) {
			throw new IllegalArgumentException("A chi-squared statistic cannot be NaN");
		}
		if (x <= 0) {
			return 1;
		}
		return upperRegularizedGamma(degreesOfFreedom / 2.0, x / 2);
	}

	/** The standard normal distribution function Φ. */
	static double normalCdf(double x) {
		if (Double.isNaN(x)) {
			throw new IllegalArgumentException("x cannot be NaN");
		}
		double tail = upperRegularizedGamma(0.5, x * x / 2) / 2;
		return x <= 0 ? tail : 1 - tail;
	}

	/** The standard normal quantile Φ⁻¹(p), by bisection on {@link #normalCdf} (planning only: not on a hot path). */
	static double normalQuantile(double p) {
		if (!(p > 0 && p < 1)) {
			throw new IllegalArgumentException("A probability strictly between 0 and 1 is needed: " + p);
		}
		double low = -40;
		double high = 40;
		for (int i = 0; i < 200; i++) {
			double middle = (low + high) / 2;
			if (middle == low || middle == high) {
				break;
			}
			if (normalCdf(middle) < p) {
				low = middle;
			}
			else {
				high = middle;
			}
		}
		return (low + high) / 2;
	}

	/** {@code Q(a, x) = Γ(a, x)/Γ(a)} for a shape {@code a} that is a positive multiple of ½. */
	static double upperRegularizedGamma(double a, double x) {
		if (x <= 0) {
			return 1;
		}
		if (Double.isInfinite(x)) {
			return 0;
		}
		if (x < a + 1) {
			return 1 - lowerBySeries(a, x);
		}
		return upperByContinuedFraction(a, x);
	}

	/** {@code ln Γ(a)} for a positive multiple of ½, exactly up to rounding. */
	static double logGammaOfHalfInteger(double a) {
		double twice = 2 * a;
		if (a <= 0 || twice != Math.rint(twice)) {
			throw new IllegalArgumentException("Only positive multiples of 1/2 are supported: " + a);
		}
		double value = twice % 2 == 0 ? 0 : 0.5 * Math.log(Math.PI);
		for (double k = twice % 2 == 0 ? 1 : 0.5; k < a; k++) {
			value += Math.log(k);
		}
		return value;
	}

	/**
	 * {@code ln Γ(x)} for any positive x: Stirling's series
	 * {@code (x - ½)·ln x - x + ½·ln(2π) + Σ_{k=1..6} B_2k / (2k(2k - 1)·x^(2k-1))} at {@code x ≥ 15}, and below that
	 * the series at {@code x + m ≥ 15} less {@code ln(x(x + 1)…(x + m - 1))}. The first omitted term,
	 * {@code B_14/(14·13·x^13) = 1/(156·x^13)}, is under {@code 4e-18} at {@code x = 15}, so the result is accurate to
	 * rounding: a few units in the last place of the larger of {@code ln Γ(x)} and the shift's logarithm.
	 *
	 * @throws IllegalArgumentException for x that is not a positive finite number
	 */
	static double logGamma(double x) {
		if (!(x > 0) || Double.isInfinite(x)) {
			throw new IllegalArgumentException("ln Γ is computed for positive finite arguments only: " + x);
		}
		double shift = 0;
		if (x < STIRLING_FROM) {
			double product = 1;
			while (x < STIRLING_FROM) {
				product *= x;
				x++;
			}
			shift = Math.log(product);
		}
		double inverse = 1 / x;
		double inverseSquared = inverse * inverse;
		double series = 0;
		for (int k = STIRLING.length - 1; k >= 0; k--) {
			series = series * inverseSquared + STIRLING[k];
		}
		return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series * inverse - shift;
	}

	private static double prefactor(double a, double x) {
		return Math.exp(-x + a * Math.log(x) - logGammaOfHalfInteger(a));
	}

	private static double lowerBySeries(double a, double x) {
		double term = 1 / a;
		double sum = term;
		double denominator = a;
		for (int i = 0; i < MAX_ITERATIONS; i++) {
			denominator++;
			term *= x / denominator;
			sum += term;
			if (Math.abs(term) < Math.abs(sum) * EPSILON) {
				return sum * prefactor(a, x);
			}
		}
		throw new ArithmeticException("The incomplete gamma series did not converge for a=" + a + ", x=" + x);
	}

	/** Modified Lentz evaluation of the continued fraction for Q(a, x). */
	private static double upperByContinuedFraction(double a, double x) {
		double b = x + 1 - a;
		double c = 1 / TINY;
		double d = 1 / b;
		double h = d;
		for (int i = 1; i <= MAX_ITERATIONS; i++) {
			double an = -i * (i - a);
			b += 2;
			d = an * d + b;
			if (Math.abs(d) < TINY) {
				d = TINY;
			}
			c = b + an / c;
			if (Math.abs(c) < TINY) {
				c = TINY;
			}
			d = 1 / d;
			double delta = d * c;
			h *= delta;
			if (Math.abs(delta - 1) < EPSILON) {
				return h * prefactor(a, x);
			}
		}
		throw new ArithmeticException("The incomplete gamma fraction did not converge for a=" + a + ", x=" + x);
	}

}
