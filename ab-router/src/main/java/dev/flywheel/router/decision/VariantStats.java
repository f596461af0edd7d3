package dev.flywheel.router.decision;

import java.util.Objects;

/**
 * One variant of an A/B test at one look: its planned weight, the units assigned to it, the rewards of its matured
 * feedback and its request counts.
 *
 * @param variant the variant's name, unique within the A/B test
 * @param weight its planned share of the units (any positive scale: weights are normalised over the test)
 * @param assignments units assigned to it (what the SRM check counts)
 * @param rewards rewards of the feedback that has matured (what the decision compares); §5.2 counts a unit only once
 * its label window has closed, so that both variants see the same maturity
 * @param requests request outcomes (what the guardrails watch)
 */
public record VariantStats(String variant, double weight, long assignments, RewardStats rewards,
		RequestCounts requests) {

	public VariantStats {
		Objects.requireNonNull(variant, "variant");
		Objects.requireNonNull(rewards, "rewards");
		Objects.requireNonNull(requests, "requests");
		if (variant.isBlank()) {
			throw new IllegalArgumentException("A variant needs a name");
		}
		if (!(weight > 0) || Double.isInfinite(weight)) {
			throw new IllegalArgumentException("Variant " + variant + " needs a positive weight: " + weight);
		}
		if (assignments < 0) {
			throw new IllegalArgumentException("Variant " + variant + " has negative assignments: " + assignments);
		}
	}

	/** A variant without request counts (no guardrails). */
	public static VariantStats of(String variant, double weight, long assignments, RewardStats rewards) {
		return new VariantStats(variant, weight, assignments, rewards, RequestCounts.NONE);
	}

}
