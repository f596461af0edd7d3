package dev.flywheel.router.deciding;

import java.util.Map;

/**
 * A decision as stored: what it concluded, its evidence (as the JSON the API shows and the tags carry), and where its
 * action stands.
 *
 * @param actionState {@code PENDING} until the registry took the action (and the tags), then {@code DONE}
 */
record StoredDecision(String testId, String outcome, String winner, Map<String, Object> evidence, long decidedAt,
		String action, String actionState, int actionAttempts, String actionError, Long actionDoneAt) {

	static final String PENDING = "PENDING";

	static final String DONE = "DONE";

}
