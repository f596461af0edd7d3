package dev.flywheel.monitoring.retraining.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a process with all its descendants: asked to terminate first, killed after a grace period. A process that
 * ended counts as gone even while it waits to be reaped (a zombie, whose pid {@link ProcessHandle#isAlive()} still
 * reports alive): orphaned descendants are reaped by init, or never when the container's init does not reap.
 */
final class ProcessTree {

	private static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

	/** How long killed processes get to be gone before {@link #stop} returns anyway. */
	private static final Duration KILL_WAIT = Duration.ofSeconds(2);

	private ProcessTree() {
	}

	/**
	 * Sends SIGTERM to the descendants of {@code root}, then to {@code root} itself, and SIGKILL to those still alive
	 * after {@code grace}. The tree is taken before anything is signalled, so that descendants orphaned by their
	 * parent's end are stopped too. Returns once all are gone, or shortly after the kill if some linger.
	 */
	static void stop(ProcessHandle root, Duration grace) {
		List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
		tree.add(root);
		tree.forEach(ProcessHandle::destroy);
		if (!awaitGone(tree, grace)) {
			tree.stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroyForcibly);
			awaitGone(tree, KILL_WAIT);
		}
	}

	/** Whether a process runs: alive and, where {@code /proc} tells, not a zombie waiting to be reaped. */
	static boolean isRunning(ProcessHandle process) {
		if (!process.isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			int state = stat.lastIndexOf(')') + 2;
			return state < 2 || state >= stat.length() || stat.charAt(state) != 'Z';
		}
		catch (IOException ex) {
			return process.isAlive();
		}
	}

	private static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (processes.stream().anyMatch(ProcessTree::isRunning)) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			try {
				Thread.sleep(CHECK_INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

}
