package dev.flywheel.platform.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged training job, as {@code ./flywheel train SPEC} does, and reads what it printed: the version it
 * registered, its alias, its held-out accuracy and its gate's verdict. Its whole output goes to a log file.
 */
final class Training {

	private static final Pattern VERSION = Pattern.compile("Model (\\S+) version (\\d+) -> alias (\\S+)");

	private static final Pattern ACCURACY = Pattern.compile("Held-out metrics \\((\\d+) rows\\): \\{.*?accuracy=([0-9.]+)");

	private static final Pattern GATE = Pattern.compile("Gate: (.+)");

	private final Path jar;

	private final String registry;

	private final Path logs;

	Training(Path jar, String registry, Path logs) {
		if (!Files.isRegularFile(jar)) {
			throw new DemoFailure("no training job at " + jar + ": build it first (./flywheel build)");
		}
		this.jar = jar;
		this.registry = registry;
		this.logs = logs;
	}

	record Trained(String version, String alias, double accuracy, int heldOutRows, String gate) {
	}

	Trained train(Path spec, String logName) {
		Path log = logs.resolve(logName);
		try {
			Files.createDirectories(logs);
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-jar", jar.toString(), "train", "--spec", spec.toString(), "--registry", registry)
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new DemoFailure("training from " + spec + " took over 10 minutes; its log: " + log);
			}
			String output = Files.readString(log);
			Matcher version = VERSION.matcher(output);
			Matcher accuracy = ACCURACY.matcher(output);
			Matcher gate = GATE.matcher(output);
			if (process.exitValue() != 0 || !version.find() || !accuracy.find() || !gate.find()) {
				List<String> lines = output.lines().toList();
				throw new DemoFailure("training from " + spec + " failed (exit " + process.exitValue() + "); the end "
						+ "of its log " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8),
								lines.size())));
			}
			return new Trained(version.group(2), version.group(3), Double.parseDouble(accuracy.group(2)),
					Integer.parseInt(accuracy.group(1)), gate.group(1).trim());
		}
		catch (IOException ex) {
			throw new DemoFailure("could not run the training job " + jar + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DemoFailure("interrupted while training");
		}
	}

}
