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

}
