package dev.flywheel.router.decision;

/** What a reward is, which decides the posterior Thompson sampling draws from. */
public enum RewardKind {

	/** 1 when the prediction matched the label, else 0: a Beta posterior. */
	BINARY,

	/** Any number sent as feedback (revenue, -loss, -latency): a normal approximation of the posterior. */
	NUMERIC

}
