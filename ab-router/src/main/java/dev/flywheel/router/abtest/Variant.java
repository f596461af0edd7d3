package dev.flywheel.router.abtest;

import java.util.Objects;

/**
 * A variant that takes traffic: {@code weight} is its planned share relative to the others' weights.
 */
public record Variant(String name, VersionSelector target, double weight) {

	public Variant {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(target, "target");
		if (!(weight > 0) || Double.isInfinite(weight)) {
			throw new IllegalArgumentException("A variant's weight is a positive finite number: " + weight);
		}
	}

	public Variant withWeight(double weight) {
		return new Variant(name, target, weight);
	}

}
