package dev.flywheel.platform.demo;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, polling twice a second, for something the platform does by itself. */
final class Waiting {

	private Waiting() {
	}

	static void until(Duration limit, String what, BooleanSupplier done) {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!done.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new DemoFailure("waited " + limit.toSeconds() + " s for " + what + " in vain");
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DemoFailure("interrupted while waiting for " + what);
			}
		}
	}

}
