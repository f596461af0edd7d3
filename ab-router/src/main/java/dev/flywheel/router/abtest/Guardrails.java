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
		return policy.guardrail(ErrorRateGuardrail.class).map(ErrorRateGuardrail::margin);
	}

	static Optional<Long> p99LatencyMillis(DecisionPolicy policy) {
		return policy.guardrail(LatencyGuardrail.class).map(g -> g.bound().toMillis());
	}

}
