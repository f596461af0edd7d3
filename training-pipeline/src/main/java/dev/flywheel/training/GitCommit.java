package dev.flywheel.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.flywheel.bundle.Lineage;

/**
 * The git commit the training code runs from: {@code FLYWHEEL_GIT_COMMIT} when the environment provides it (CI, a
 * container build), else what {@code git rev-parse HEAD} says in the working directory, else "unknown".
 */
final class GitCommit {

	private GitCommit() {
	}

	static String current() {
		String fromEnvironment = System.getenv("FLYWHEEL_GIT_COMMIT");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment.trim();
		}
		try {
			Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
			String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && output.matches("[0-9a-f]{40}")) {
				return output;
			}
		}
		catch (IOException ex) {
			// no git here
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Lineage.UNKNOWN;
	}

}
