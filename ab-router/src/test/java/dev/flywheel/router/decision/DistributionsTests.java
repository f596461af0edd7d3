package dev.flywheel.router.decision;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistributionsTests {

	@Test
	void chiSquaredSurvivalMatchesTableValues() {
		// the 5% critical values of chi-squared with 1 and 3 degrees of freedom, and the 0.1% one with 1
		assertThat(Distributions.chiSquaredSurvival(3.841458820694124, 1)).isCloseTo(0.05, within(1e-12));
		assertThat(Distributions.chiSquaredSurvival(7.814727903251178, 3)).isCloseTo(0.05, within(1e-12));
		assertThat(Distributions.chiSquaredSurvival(10.827566170662733, 1)).isCloseTo(0.001, within(1e-14));
	}

	@Test
	void chiSquaredSurvivalMatchesClosedFormsForEvenDegreesOfFreedom() {
		// df 2: exp(-x/2); df 4: exp(-x/2)(1 + x/2)
		assertThat(Distributions.chiSquaredSurvival(5, 2)).isCloseTo(Math.exp(-2.5), within(1e-15));
		assertThat(Distributions.chiSquaredSurvival(0.3, 2)).isCloseTo(Math.exp(-0.15), within(1e-15));
		assertThat(Distributions.chiSquaredSurvival(6, 4)).isCloseTo(4 * Math.exp(-3), within(1e-15));
	}

	@Test
	void chiSquaredSurvivalKeepsTinyTailsAccurate() {
		// erfc(sqrt(x/2)) for x = 1000/9, the SRM of a 10/90 split delivered as 20/80 over 1000 units
		assertThat(Distributions.chiSquaredSurvival(1000.0 / 9, 1)).isCloseTo(5.594557236191545e-26,
				within(1e-37));
		assertThat(Distributions.chiSquaredSurvival(0, 1)).isEqualTo(1);
		assertThat(Distributions.chiSquaredSurvival(1e6, 3)).isZero();
	}

	@Test
	void normalDistributionFunctionAndQuantile() {
		assertThat(Distributions.normalCdf(0)).isEqualTo(0.5);
		assertThat(Distributions.normalCdf(-1)).isCloseTo(0.15865525393145707, within(1e-15));
		assertThat(Distributions.normalCdf(1.959963984540054)).isCloseTo(0.975, within(1e-15));
		assertThat(Distributions.normalQuantile(0.8)).isCloseTo(0.8416212335729143, within(1e-12));
		assertThat(Distributions.normalQuantile(0.025)).isCloseTo(-1.959963984540054, within(1e-12));
	}

	@Test
	void logGammaIsExactForHalfIntegers() {
		assertThat(Distributions.logGammaOfHalfInteger(1)).isZero();
		assertThat(Distributions.logGammaOfHalfInteger(5)).isCloseTo(Math.log(24), within(1e-14));
		assertThat(Distributions.logGammaOfHalfInteger(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-15));
		assertThat(Distributions.logGammaOfHalfInteger(2.5)).isCloseTo(Math.log(0.75 * Math.sqrt(Math.PI)),
				within(1e-15));
		assertThatThrownBy(() -> Distributions.logGammaOfHalfInteger(0.3))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void logGammaMatchesKnownValues() {
		// exact: Γ(1) = Γ(2) = 1, Γ(3) = 2, Γ(10) = 9!, Γ(½) = √π, Γ(5/2) = ¾√π
		assertThat(Distributions.logGamma(1)).isCloseTo(0, within(1e-14));
		assertThat(Distributions.logGamma(2)).isCloseTo(0, within(1e-14));
		assertThat(Distributions.logGamma(3)).isCloseTo(Math.log(2), within(1e-14));
		assertThat(Distributions.logGamma(10)).isCloseTo(Math.log(362_880), within(1e-14));
		assertThat(Distributions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
		assertThat(Distributions.logGamma(2.5)).isCloseTo(Math.log(0.75 * Math.sqrt(Math.PI)), within(1e-14));
		// reference values of ln Γ (C's lgamma): Γ(⅓) = 2.6789385347077476, Γ(0.1) = 9.513507698668732
		assertThat(Distributions.logGamma(1.0 / 3)).isCloseTo(0.9854206469277675, within(1e-14));
		assertThat(Distributions.logGamma(0.1)).isCloseTo(2.2527126517342055, within(1e-14));
		assertThat(Distributions.logGamma(7.5)).isCloseTo(7.534364236758734, within(1e-14));
		assertThat(Distributions.logGamma(100)).isCloseTo(359.1342053695754, within(1e-12));
		assertThat(Distributions.logGamma(1234.5678)).isCloseTo(7551.033504440956, within(1e-11));
		assertThat(Distributions.logGamma(1e6)).isCloseTo(12_815_504.569147611, within(1e-8));
		assertThat(Distributions.logGamma(1e10)).isCloseTo(220_258_509_288.81058, within(1e-4));
		// near 0, Γ(x) ≈ 1/x - γ
		assertThat(Distributions.logGamma(1e-8)).isCloseTo(18.42068073818021, within(1e-13));
	}

	@Test
	void logGammaIsContinuousWhereItSwitchesToStirlingsSeries() {
		assertThat(Distributions.logGamma(14.999)).isCloseTo(25.18854687054693, within(1e-13));
		assertThat(Distributions.logGamma(15)).isCloseTo(25.191221182738683, within(1e-13));
		assertThat(Distributions.logGamma(Math.nextDown(15.0))).isCloseTo(Distributions.logGamma(15), within(1e-13));
	}

	@Test
	void logGammaAgreesWithTheExactHalfIntegerValues() {
		for (double a = 0.5; a <= 60; a += 0.5) {
			assertThat(Distributions.logGamma(a)).as("ln Γ(%s)", a)
				.isCloseTo(Distributions.logGammaOfHalfInteger(a), within(1e-13));
		}
	}

	@Test
	void logGammaRefusesArgumentsOutsideItsDomain() {
		assertThatThrownBy(() -> Distributions.logGamma(0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Distributions.logGamma(-1.5)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Distributions.logGamma(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Distributions.logGamma(Double.POSITIVE_INFINITY))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
