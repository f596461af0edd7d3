package dev.flywheel.support.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * A program some tests run beside the JVM ({@code promtool}, {@code chromium}), found on the PATH. Without it, the test
 * is skipped with a message naming the Debian package that brings it, so that the README's test command passes on a
 * machine with only Java and Maven; where {@code FLYWHEEL_REQUIRE_TOOLS} is set (by {@code .ci/run} and the CI
 * workflow, which install the tools), a missing tool fails the test instead, so CI cannot skip silently.
 */
public final class ExternalTool {

	private ExternalTool() {
	}

	/**
	 * @param program the program's name
	 * @param debianPackage the Debian package that installs it
	 * @param purpose what the test needs it for, e.g. "the alert rules cannot be checked"
	 */
	public static Path require(String program, String debianPackage, String purpose) {
		return Stream.concat(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/bin"))
			.filter(directory -> !directory.isEmpty())
			.map(directory -> Path.of(directory, program))
			.filter(Files::isExecutable)
			.findFirst()
			.orElseGet(() -> missing(program + " is not installed, so " + purpose + ": install the Debian package '"
					+ debianPackage + "' (apt-get install " + debianPackage + "), as .ci/run does"));
	}

	private static Path missing(String message) {
		if (System.getenv("FLYWHEEL_REQUIRE_TOOLS") != null) {
			return Assertions.fail(message + " (FLYWHEEL_REQUIRE_TOOLS is set: the tool is required here)");
		}
		throw new TestAbortedException(message + "; skipped");
	}

}
