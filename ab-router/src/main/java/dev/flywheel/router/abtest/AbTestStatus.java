package dev.flywheel.router.abtest;

import java.util.Locale;

/** Where a test stands. Stopped, decided and invalid tests are final: nothing about them changes any more. */
public enum AbTestStatus {

	/** Taking traffic. */
	RUNNING,

	/** Paused by a user (or by the router, with its reason): no new assignments. */
	PAUSED,

	/** Stopped by a user, without a decision. */
	STOPPED,

	/** Ended by a decision. */
	DECIDED,

	/** Stopped by the router because its data cannot be trusted (a sample ratio mismatch). */
	INVALID;

	public boolean isFinal() {
		return this == STOPPED || this == DECIDED || this == INVALID;
	}

	public String apiName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
