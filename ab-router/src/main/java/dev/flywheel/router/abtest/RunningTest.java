package dev.flywheel.router.abtest;

import java.util.List;
import java.util.Objects;

/**
 * A running test with every weight revision it has had, oldest first (each in the variants' order): what sticky,
 * ramp-safe assignment replays.
 */
public record RunningTest(AbTest test, List<List<Double>> weightHistory) {

	public RunningTest {
		Objects.requireNonNull(test, "test");
		weightHistory = List.copyOf(weightHistory);
		if (weightHistory.isEmpty()) {
			throw new IllegalArgumentException("A test has at least the weights it was created with");
		}
	}

}
