package dev.flywheel.router.assignment;

import java.util.Objects;

/**
 * Where one unit went.
 *
 * @param unitKey the unit
 * @param bucket its bucket, in [0, {@value Split#BUCKETS})
 * @param variant the index of its variant, in the A/B test's declared order
 */
public record Assignment(UnitKey unitKey, int bucket, int variant) {

	public Assignment {
		Objects.requireNonNull(unitKey, "unitKey");
		if (bucket < 0 || bucket >= Split.BUCKETS) {
			throw new IllegalArgumentException("A bucket lies in [0, " + Split.BUCKETS + "): " + bucket);
		}
		if (variant < 0) {
			throw new IllegalArgumentException("A variant index cannot be negative: " + variant);
		}
	}

}
