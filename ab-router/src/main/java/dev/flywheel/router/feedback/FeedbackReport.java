package dev.flywheel.router.feedback;

import java.util.List;

/**
 * What became of each feedback event of a request.
 *
 * @param accepted events recorded now
 * @param alreadyRecorded events that repeat feedback recorded earlier (idempotent: counted once)
 * @param unknown prediction ids the router never answered (or no longer remembers)
 * @param expired prediction ids whose feedback window had closed
 * @param conflicting prediction ids that already have different feedback (the first one stands)
 */
record FeedbackReport(int accepted, int alreadyRecorded, List<String> unknown, List<String> expired,
		List<String> conflicting) {

	boolean allTaken() {
		return unknown.isEmpty() && expired.isEmpty() && conflicting.isEmpty();
	}

	boolean noneTaken() {
		return accepted == 0 && alreadyRecorded == 0;
	}

}
