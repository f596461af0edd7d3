package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The instructions of a Dockerfile, as far as the deployment tests read them: lines joined at their trailing
 * backslash, comment lines dropped (also inside a continued instruction, as Docker does), each instruction split into
 * its keyword and the rest.
 *
 * @param file where it was read from
 * @param instructions in file order
 */
record Dockerfile(Path file, List<Instruction> instructions) {

	/** One instruction: {@code COPY a b} is keyword {@code COPY}, arguments {@code a b}. */
	record Instruction(String keyword, String arguments) {
	}

	/** A {@code COPY}: its sources (relative to the build context) and destination in the image, flags left out. */
	record Copy(List<String> sources, String destination) {
	}

	static Dockerfile read(Path file) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : lines) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
				continue;
			}
			boolean continued = trimmed.endsWith("\\");
			current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
			if (!continued) {
				String text = current.toString().strip();
				int space = text.indexOf(' ');
				instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
						text.substring(space + 1).strip()));
				current.setLength(0);
			}
		}
		return new Dockerfile(file, List.copyOf(instructions));
	}

	List<String> arguments(String keyword) {
		return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
	}

	List<Copy> copies() {
		return arguments("COPY").stream().map(arguments -> {
			List<String> words = Arrays.stream(arguments.split("\\s+")).filter(w -> !w.startsWith("--")).toList();
			return new Copy(words.subList(0, words.size() - 1), words.get(words.size() - 1));
		}).toList();
	}

	/** The variables its {@code ENV} instructions set ({@code ENV A=1 B=2} form). */
	Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		for (String arguments : arguments("ENV")) {
			for (String assignment : arguments.split("\\s+")) {
				int equals = assignment.indexOf('=');
				if (equals <= 0) {
					throw new AssertionError(file + ": ENV " + arguments + " is not in the NAME=value form");
				}
				environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
			}
		}
		return environment;
	}

	/** The exec form of its (last) {@code ENTRYPOINT}: the JSON array read as YAML's flow sequence. */
	List<String> entrypoint() {
		List<String> entrypoints = arguments("ENTRYPOINT");
		if (entrypoints.isEmpty()) {
			throw new AssertionError(file + " has no ENTRYPOINT");
		}
		Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(entrypoints.get(entrypoints.size() - 1));
		if (!(loaded instanceof List<?> words)) {
			throw new AssertionError(file + ": the ENTRYPOINT is not in the exec form [\"java\", ...]");
		}
		return words.stream().map(String::valueOf).toList();
	}

}
