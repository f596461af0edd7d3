package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code ./flywheel} launcher says about running the platform, read from the script itself so that the
 * deployment files are checked against how the launcher really runs the services: which module each service is, the
 * properties that point a service at the others, and the subcommands it has.
 */
final class LauncherScript {

	/** {@code declare -A MODULE=([registry]=model-registry [monitoring]=monitoring ...)} */
	private static final Pattern MODULE_ENTRY = Pattern.compile("\\[(\\w+)]=([a-z-]+)");

	/** {@code if [[ $service == inference ]]; then} or its {@code elif}. */
	private static final Pattern SERVICE_BRANCH = Pattern.compile("\\[\\[ \\$service == (\\w+) ]]");

	/** {@code --flywheel.registry.url="http://127.0.0.1:${PORT[registry]}"} */
	private static final Pattern ADDRESS_ARGUMENT = Pattern
		.compile("--([a-z.-]+)=\"http://127\\.0\\.0\\.1:\\$\\{PORT\\[(\\w+)]}\"");

	/** {@code --flywheel.monitoring.retraining.training-jar="$ROOT/training-pipeline/target/...jar"} */
	private static final Pattern JAR_ARGUMENT = Pattern.compile("--([a-z.-]+)=\"\\$ROOT/([a-z-]+)/target/[^\"]+\\.jar\"");

	/** A case label of the final dispatch: {@code   up) up ;;} */
	private static final Pattern CASE_LABEL = Pattern.compile("^\\s+([a-z][a-z|-]*)\\)");

	/** A usage line of the header: {@code #   ./flywheel up   ...} */
	private static final Pattern USAGE_LINE = Pattern.compile("^#\\s+\\./flywheel ([a-z][a-z-]*)");

	private final List<String> lines;

	private LauncherScript(List<String> lines) {
		this.lines = lines;
	}

	static LauncherScript read(Path file) {
		try {
			return new LauncherScript(Files.readAllLines(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	/** Service name to module, in the launcher's start order. */
	Map<String, String> modules() {
		String declaration = lines.stream()
			.filter(line -> line.startsWith("declare -A MODULE="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the launcher declares no MODULE map"));
		Map<String, String> modules = new LinkedHashMap<>();
		Matcher entry = MODULE_ENTRY.matcher(declaration);
		while (entry.find()) {
			modules.put(entry.group(1), entry.group(2));
		}
		return modules;
	}

	/**
	 * The addresses the launcher gives each service: module to (property to the module it points at), such as
	 * {@code monitoring -> {flywheel.registry.url -> model-registry, flywheel.router.url -> ab-router}}.
	 */
	Map<String, Map<String, String>> addresses() {
		Map<String, String> modules = modules();
		Map<String, Map<String, String>> addresses = new LinkedHashMap<>();
		String service = null;
		for (String line : lines) {
			Matcher branch = SERVICE_BRANCH.matcher(line);
			if (branch.find()) {
				service = branch.group(1);
			}
			Matcher argument = ADDRESS_ARGUMENT.matcher(line);
			while (service != null && argument.find()) {
				addresses.computeIfAbsent(modules.get(service), s -> new LinkedHashMap<>())
					.put(argument.group(1), modules.get(argument.group(2)));
			}
		}
		return addresses;
	}

	/** The jars of other modules the launcher gives a service: module to (property to the jar's module). */
	Map<String, Map<String, String>> jars() {
		Map<String, String> modules = modules();
		Map<String, Map<String, String>> jars = new LinkedHashMap<>();
		String service = null;
		for (String line : lines) {
			Matcher branch = SERVICE_BRANCH.matcher(line);
			if (branch.find()) {
				service = branch.group(1);
			}
			Matcher argument = JAR_ARGUMENT.matcher(line);
			while (service != null && argument.find()) {
				jars.computeIfAbsent(modules.get(service), s -> new LinkedHashMap<>())
					.put(argument.group(1), argument.group(2));
			}
		}
		return jars;
	}

	/**
	 * The JVM options the launcher starts each service with ({@code options=(-Xms384m ...)} in its branch of
	 * {@code start}, which may go on over several lines): module to options, only for services that have some.
	 */
	Map<String, List<String>> jvmOptions() {
		Map<String, String> modules = modules();
		Map<String, List<String>> options = new LinkedHashMap<>();
		String service = null;
		StringBuilder current = null;
		for (String line : lines) {
			Matcher branch = SERVICE_BRANCH.matcher(line);
			if (branch.find()) {
				service = branch.group(1);
			}
			String trimmed = line.strip();
			if (current == null && service != null && trimmed.startsWith("options=(")) {
				current = new StringBuilder();
				trimmed = trimmed.substring("options=(".length());
			}
			if (current != null) {
				int end = trimmed.indexOf(')');
				current.append(' ').append(end >= 0 ? trimmed.substring(0, end) : trimmed);
				if (end >= 0) {
					options.put(modules.get(service), List.of(current.toString().strip().split("\\s+")));
					current = null;
				}
			}
		}
		return options;
	}

	/** The labels of the last {@code case} (the subcommand dispatch), alternatives split. */
	Set<String> subcommands() {
		int start = -1;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("case ")) {
				start = i;
			}
		}
		if (start < 0) {
			throw new AssertionError("the launcher has no subcommand dispatch (case ... esac)");
		}
		Set<String> labels = new LinkedHashSet<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("esac")) {
				break;
			}
			Matcher label = CASE_LABEL.matcher(line);
			if (label.find()) {
				labels.addAll(List.of(label.group(1).split("\\|")));
			}
		}
		return labels;
	}

	/** The subcommands its usage text (the header comment, which it prints) names. */
	Set<String> usage() {
		Set<String> named = new LinkedHashSet<>();
		for (String line : lines) {
			if (!line.startsWith("#")) {
				break;
			}
			Matcher usage = USAGE_LINE.matcher(line);
			if (usage.find()) {
				named.add(usage.group(1));
			}
		}
		return named;
	}

}
