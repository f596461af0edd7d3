package dev.flywheel.router.abtest;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.flywheel.router.decision.DecisionPolicy;

/**
 * What a user asks for when creating a test, validated: the model, at least two variants (the first is the control),
 * shadow variants, the reward, the decision policy (α, minimum samples per variant, maximum total samples,
 * guardrails), the action on a decision and the allocation. Variant names are unique across variants and shadows.
 */
public record AbTestDefinition(String model, List<Variant> variants, List<ShadowVariant> shadows, Reward reward,
		DecisionPolicy policy, DecisionAction action, Allocation allocation) {

	public AbTestDefinition {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(reward, "reward");
		Objects.requireNonNull(policy, "policy");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(allocation, "allocation");
		variants = List.copyOf(variants);
		shadows = List.copyOf(shadows);
		if (variants.size() < 2) {
			throw new IllegalArgumentException("A test has at least two variants: " + variants.size());
		}
		Set<String> names = new HashSet<>();
		variants.forEach(v -> requireNew(names, v.name()));
		shadows.forEach(s -> requireNew(names, s.name()));
	}

	private static void requireNew(Set<String> names, String name) {
		if (!names.add(name)) {
			throw new IllegalArgumentException("Two variants are named '" + name + "'");
		}
	}

	public Variant control() {
		return variants.get(0);
	}

	/** The same definition with every variant's weight taken from {@code weights} (by variant name). */
	public AbTestDefinition withWeights(java.util.Map<String, Double> weights) {
		List<Variant> changed = variants.stream().map(v -> v.withWeight(weights.get(v.name()))).toList();
		return new AbTestDefinition(model, changed, shadows, reward, policy, action, allocation);
	}

}
