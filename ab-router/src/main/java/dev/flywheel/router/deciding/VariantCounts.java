package dev.flywheel.router.deciding;

import dev.flywheel.router.decision.RequestCounts;
import dev.flywheel.router.decision.RewardStats;

/**
 * One variant's stored counts, summed over every replica.
 *
 * @param assignmentsSinceChange assignments since the test's weights last changed (what the SRM check compares with
 * the current split)
 * @param feedback feedback events received, whether or not they count for the decision
 * @param servedVersion the model version the variant served last, or null before its first answer
 */
record VariantCounts(String name, boolean shadow, long assignments, long assignmentsSinceChange, RewardStats rewards,
		RequestCounts requests, long comparedRows, long agreedRows, long feedback, String servedVersion) {
}
