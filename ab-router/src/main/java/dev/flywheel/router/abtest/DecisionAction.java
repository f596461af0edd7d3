package dev.flywheel.router.abtest;

import java.util.Locale;

/** What the router does once a test is decided. */
public enum DecisionAction {

	/** Move the {@code champion} alias to the winning version. */
	PROMOTE,

	/** Remove the losing version's {@code challenger} alias. */
	ROLLBACK,

	/** Only store and report the decision. */
	REPORT;

	public String apiName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
