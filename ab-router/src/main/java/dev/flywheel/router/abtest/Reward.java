package dev.flywheel.router.abtest;

import java.util.Locale;

import dev.flywheel.router.decision.RewardKind;

/** What feedback rewards a variant with. */
public enum Reward {

	/** Feedback sends the true label; the reward is 1 when the prediction matched it, else 0. */
	LABEL(RewardKind.BINARY),

	/** Feedback sends a number (revenue, -loss). */
	NUMERIC(RewardKind.NUMERIC);

	private final RewardKind kind;

	Reward(RewardKind kind) {
		this.kind = kind;
	}

	/** How the decision code treats the reward. */
	public RewardKind kind() {
		return kind;
	}

	public String apiName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
