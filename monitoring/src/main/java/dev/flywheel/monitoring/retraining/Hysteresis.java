package dev.flywheel.monitoring.retraining;

import java.util.ArrayDeque;

/**
 * Turns a condition judged window after window (the drift alarm, a quality drop) into triggers that cannot chatter:
 * it fires when the condition held in at least {@code k} of the last {@code n} judged windows (statistics.md §5.1,
 * "k of n consecutive windows"), and then not again until a judged window finds the condition cleared (re-armed).
 * Windows too small to judge are not looked at: they neither fire nor re-arm.
 */
public final class Hysteresis {

	private final int k;

	private final int n;

	private final ArrayDeque<Boolean> last = new ArrayDeque<>();

	private boolean armed = true;

	public Hysteresis(int k, int n) {
		if (k < 1 || n < k) {
			throw new IllegalArgumentException("Need 1 <= k <= n, not k=" + k + ", n=" + n);
		}
		this.k = k;
		this.n = n;
	}

	/** Looks at one more judged window; true when it fires. */
	public synchronized boolean look(boolean conditionHolds) {
		last.addLast(conditionHolds);
		if (last.size() > n) {
			last.removeFirst();
		}
		if (!conditionHolds) {
			if (!armed) {
				// re-armed: what held before the condition cleared no longer counts toward the next firing
				armed = true;
				last.clear();
				last.addLast(false);
			}
			return false;
		}
		long held = last.stream().filter(Boolean::booleanValue).count();
		if (armed && held >= k) {
			armed = false;
			return true;
		}
		return false;
	}

	public synchronized boolean isArmed() {
		return armed;
	}

}
