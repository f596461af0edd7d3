package dev.flywheel.router.decision;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GuardrailTests {

	private final MixtureConfidenceSequence sequence = new MixtureConfidenceSequence(0.05, 5000);

	private static VariantStats variant(String name, long requests, long errors, long slow) {
		return new VariantStats(name, 1, requests, RewardStats.EMPTY, new RequestCounts(requests, errors, slow));
	}

	@Test
	void anErrorRateWellAboveTheControlsPlusTheMarginIsABreach() {
		// 1% against 3% errors of 10,000 requests each: Δ̂ = 0.02 ± 0.00618 (criticalZ(20000) = 3.129 SEs)
		GuardrailCheck check = new ErrorRateGuardrail(0.001)
			.check(variant("control", 10_000, 100, 0), variant("challenger", 10_000, 300, 0), sequence)
			.orElseThrow();

		assertThat(check.guardrail()).isEqualTo("error_rate");
		assertThat(check.variant()).isEqualTo("challenger");
		assertThat(check.value()).isCloseTo(0.02, within(1e-15));
		assertThat(check.lower()).isCloseTo(0.013824444382579928, within(1e-14));
		assertThat(check.upper()).isCloseTo(0.026175555617420066, within(1e-14));
		assertThat(check.limit()).isEqualTo(0.001);
		assertThat(check.breached()).isTrue();
	}

	@Test
	void anErrorRateWithinNoiseOfTheMarginIsNoBreach() {
		// 1% against 1.1%: the interval [-0.0035, 0.0055] does not lie above 0.001
		GuardrailCheck check = new ErrorRateGuardrail(ErrorRateGuardrail.DEFAULT_MARGIN)
			.check(variant("control", 10_000, 100, 0), variant("challenger", 10_000, 110, 0), sequence)
			.orElseThrow();

		assertThat(check.lower()).isCloseTo(-0.003507710904072838, within(1e-14));
		assertThat(check.breached()).isFalse();
	}

	@Test
	void aP99AboveTheBoundIsABreachOnceTheShareOverItIsShownAboveOnePercent() {
		LatencyGuardrail p99 = LatencyGuardrail.p99(Duration.ofMillis(250));
		VariantStats control = variant("control", 1000, 0, 0);

		// 5% of 1000 requests over the bound: [0.0268, 0.0732], wholly above 1%
		GuardrailCheck slow = p99.check(control, variant("challenger", 1000, 0, 50), sequence).orElseThrow();
		// 2.5% over: [0.0084, 0.0416] still reaches below 1%, so not shown yet
		GuardrailCheck unclear = p99.check(control, variant("challenger", 1000, 0, 25), sequence).orElseThrow();

		assertThat(slow.guardrail()).isEqualTo("latency");
		assertThat(slow.value()).isEqualTo(0.05);
		assertThat(slow.lower()).isCloseTo(0.026816003795626125, within(1e-14));
		assertThat(slow.limit()).isCloseTo(0.01, within(1e-15));
		assertThat(slow.breached()).isTrue();
		assertThat(unclear.lower()).isCloseTo(0.008392135059044882, within(1e-14));
		assertThat(unclear.breached()).isFalse();
	}

	@Test
	void nothingIsCheckedWithoutRequests() {
		assertThat(new ErrorRateGuardrail(0.001).check(variant("c", 0, 0, 0), variant("x", 100, 1, 0), sequence))
			.isEmpty();
		assertThat(LatencyGuardrail.p99(Duration.ofSeconds(1)).check(variant("c", 100, 0, 0), variant("x", 1, 0, 1),
				sequence))
			.isEmpty();
	}

	@Test
	void refusesLimitsThatMeanNothing() {
		assertThatThrownBy(() -> new ErrorRateGuardrail(-0.01)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new LatencyGuardrail(Duration.ZERO, 0.99)).hasMessageContaining("positive");
		assertThatThrownBy(() -> new LatencyGuardrail(Duration.ofMillis(1), 1)).hasMessageContaining("quantile");
		assertThatThrownBy(() -> new RequestCounts(10, 11, 0)).isInstanceOf(IllegalArgumentException.class);
	}

}
