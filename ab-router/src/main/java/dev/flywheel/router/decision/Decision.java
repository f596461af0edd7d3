package dev.flywheel.router.decision;

import java.util.List;
import java.util.Objects;

/**
 * What an A/B test's look concluded, with its evidence.
 *
 * @param outcome what happens next
 * @param winner the challenger to promote for {@link Outcome#WINNER}, otherwise null
 * @param losers the challengers shown worse or harmful so far (the ones to roll back), in the variants' order
 * @param evidence the inputs and statistics the outcome rests on
 */
public record Decision(Outcome outcome, String winner, List<String> losers, Evidence evidence) {

	/** What happens next. */
	public enum Outcome {

		/** Keep the test running: no conclusion yet. */
		CONTINUE,

		/** A challenger is better than the control (its interval lies above the minimum lift): promote it. */
		WINNER,

		/** Every challenger is worse than the control or breached a guardrail: the control stays. */
		NO_BETTER,

		/** The maximum sample was reached without a conclusion: the control stays. */
		INCONCLUSIVE,

		/** The assignments mismatch the planned split: the comparisons cannot be trusted and the test stops. */
		INVALID_SRM

	}

	public Decision {
		Objects.requireNonNull(outcome, "outcome");
		Objects.requireNonNull(evidence, "evidence");
		losers = List.copyOf(losers);
		if ((outcome == Outcome.WINNER) != (winner != null)) {
			throw new IllegalArgumentException("A winner is named exactly when the outcome is WINNER: " + outcome
					+ ", winner " + winner);
		}
	}

	/** Whether the test ends with this look. */
	public boolean isFinal() {
		return outcome != Outcome.CONTINUE;
	}

}
