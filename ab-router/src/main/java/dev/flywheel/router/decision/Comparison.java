package dev.flywheel.router.decision;

import java.util.List;
import java.util.Objects;

/**
 * One challenger against the control at one look: the always-valid interval on the difference of mean rewards, the
 * guardrail checks, and what they say.
 *
 * @param control the control variant
 * @param challenger the challenger variant
 * @param lift the interval on {@code m_challenger - m_control}, with its always-valid p-value
 * @param guardrails the challenger's guardrail checks
 * @param verdict what the interval and the guardrails show; {@link Verdict#UNDECIDED} while a variant is below the
 * sample floor
 */
public record Comparison(String control, String challenger, AlwaysValidInterval lift, List<GuardrailCheck> guardrails,
		Verdict verdict) {

	/** What a comparison shows. */
	public enum Verdict {

		/** Nothing yet: the interval straddles the limits, or the sample floor is not reached. */
		UNDECIDED,

		/** The interval lies wholly above the minimum lift and no guardrail is breached. */
		BETTER,

		/** The interval lies wholly below zero (or below a negative minimum lift): the challenger cannot win. */
		WORSE,

		/** A guardrail is breached: the challenger does harm, whatever its reward. */
		GUARDRAIL_BREACHED

	}

	public Comparison {
		Objects.requireNonNull(control, "control");
		Objects.requireNonNull(challenger, "challenger");
		Objects.requireNonNull(lift, "lift");
		Objects.requireNonNull(verdict, "verdict");
		guardrails = List.copyOf(guardrails);
	}

	/** Whether the challenger lost: shown worse, or harmful. */
	public boolean isLoss() {
		return verdict == Verdict.WORSE || verdict == Verdict.GUARDRAIL_BREACHED;
	}

}
