package dev.flywheel.router.deciding;

import dev.flywheel.router.abtest.Allocation;
import dev.flywheel.router.decision.RequestCounts;
import dev.flywheel.router.decision.RewardStats;

/**
 * One variant's stored counts, summed over every replica.
 *
 * @param assignments requests counted for the decision
 * @param assignmentsSinceChange those since the test's weights last changed
 * @param units distinct units assigned (fixed-split tests only: a unit made up for a request naming none counts as
 * one)
 * @param unitsSinceChange units first seen since the test's weights last changed
 * @param feedback feedback events received, whether or not they count for the decision
 * @param servedVersion the model version the variant served last, or null before its first answer
 */
record VariantCounts(String name, boolean shadow, long assignments, long assignmentsSinceChange, long units,
		long unitsSinceChange, RewardStats rewards, RequestCounts requests, long comparedRows, long agreedRows,
		long feedback, String servedVersion) {

	/**
	 * What the sample ratio check compares with the split since the weights last changed: the units of a fixed
	 * split (sticky: a unit is one draw however often it asks), the requests of a Thompson-sampling test's uniform
	 * share (not sticky: each request is a draw).
	 */
	long sampleRatioCount(Allocation.Mode mode) {
		return Math.max(0, mode == Allocation.Mode.FIXED ? unitsSinceChange : assignmentsSinceChange);
	}

}
