package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * A {@code .dockerignore}, matched as Docker matches it: patterns in file order, the last that matches a path or one
 * of its parent directories decides, a {@code !} pattern takes back in what an earlier one left out, and {@code *}
 * does not cross a {@code /} (Go's {@code filepath.Match}, like a Java glob). Enough to tell whether a file the
 * Dockerfiles copy reaches the builder.
 */
final class DockerIgnore {

	private record Rule(boolean exception, PathMatcher matcher) {
	}

	private final List<Rule> rules;

	private DockerIgnore(List<Rule> rules) {
		this.rules = rules;
	}

	static DockerIgnore read(Path file) {
		try {
			return new DockerIgnore(Files.readAllLines(file)
				.stream()
				.map(String::strip)
				.filter(line -> !line.isEmpty() && !line.startsWith("#"))
				.map(DockerIgnore::rule)
				.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	private static Rule rule(String line) {
		boolean exception = line.startsWith("!");
		String pattern = (exception ? line.substring(1) : line).strip();
		// Docker cleans each pattern as a path: no leading or trailing slash
		pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
		return new Rule(exception, FileSystems.getDefault().getPathMatcher("glob:" + pattern));
	}

	/** Whether the builder gets {@code relative} (a path in the build context). */
	boolean sends(Path relative) {
		boolean excluded = false;
		for (Rule rule : rules) {
			for (Path candidate = relative; candidate != null; candidate = candidate.getParent()) {
				if (rule.matcher().matches(candidate)) {
					excluded = !rule.exception();
					break;
				}
			}
		}
		return !excluded;
	}

}
