package dev.flywheel.router.abtest;

import java.time.Instant;
import java.util.List;

import dev.flywheel.router.decision.DecisionPolicy;

/** An A/B test as the API shows it (snake_case, absent values left out). */
record AbTestView(String id, String model, String status, String statusReason, List<VariantView> variants,
		List<VariantView> shadows, RewardView reward, double alpha, long minSamples, Long maxSamples,
		GuardrailsView guardrails, String action, String allocation, Double uniformShare, String salt,
		Instant createdAt, Instant updatedAt) {

	record VariantView(String name, String alias, String version, Double weight) {
	}

	record RewardView(String kind) {
	}

	record GuardrailsView(Double maxErrorRateIncrease, Long p99LatencyMs) {
	}

	static AbTestView of(AbTest test) {
		AbTestDefinition definition = test.definition();
		DecisionPolicy policy = definition.policy();
		Double errorRate = Guardrails.errorRateMargin(policy).orElse(null);
		Long latency = Guardrails.p99LatencyMillis(policy).orElse(null);
		Allocation allocation = definition.allocation();
		return new AbTestView(test.id(), definition.model(), test.status().apiName(), test.statusReason(),
				definition.variants()
					.stream()
					.map(v -> new VariantView(v.name(), v.target().alias(), v.target().version(), v.weight()))
					.toList(),
				definition.shadows()
					.stream()
					.map(s -> new VariantView(s.name(), s.target().alias(), s.target().version(), null))
					.toList(),
				new RewardView(definition.reward().apiName()), policy.alpha(), policy.minSamplesPerVariant(),
				policy.maxTotalSamples().isPresent() ? policy.maxTotalSamples().getAsLong() : null,
				errorRate == null && latency == null ? null : new GuardrailsView(errorRate, latency),
				definition.action().apiName(), allocation.mode().apiName(),
				allocation.mode() == Allocation.Mode.THOMPSON ? allocation.uniformShare() : null, test.salt(),
				test.createdAt(), test.updatedAt());
	}

}
