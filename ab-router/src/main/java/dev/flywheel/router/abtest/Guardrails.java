package dev.flywheel.router.abtest;

import java.util.Optional;

import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.ErrorRateGuardrail;
import dev.flywheel.router.decision.LatencyGuardrail;

/** The API's two guardrail settings, read off a decision policy's guardrails. */
final class Guardrails {

	private Guardrails() {
	}

	static Optional<Double> errorRateMargin(DecisionPolicy policy) {
		return policy.guardrails()
			.stream()
			.filter(ErrorRateGuardrail.class::isInstance)
			.map(g -> ((ErrorRateGuardrail) g).margin())
			.findFirst();
	}

	static Optional<Long> p99LatencyMillis(DecisionPolicy policy) {
		return policy.guardrails()
			.stream()
			.filter(LatencyGuardrail.class::isInstance)
			.map(g -> ((LatencyGuardrail) g).bound().toMillis())
			.findFirst();
	}

}
