package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps {@code docs/operations.md} honest: every configuration key a service has must be documented, in backticks, in
 * that service's section ({@code ## <module>}). The keys are read from the sources, so no module needs to be built:
 * <ul>
 * <li>every key of the service's {@code application.yaml}, flattened (lists are one key), and every
 * {@code ${key:default}} placeholder in it;</li>
 * <li>every key of its {@code @ConfigurationProperties} records: the prefix and each record component in kebab-case,
 * nested records as nested keys; a {@code Map} component is a key documented as {@code key.<name>...};</li>
 * <li>every {@code @Value("${key...}")}, {@code @ConditionalOnProperty} and {@code environment.getProperty("key")}
 * key, and those of {@code service-support}'s Flyway configuration in the services that import it;</li>
 * <li>the training job's command-line options and environment variables (section {@code ## training-pipeline}), and
 * the launcher's {@code FLYWHEEL_*} variables (section {@code ## launcher}).</li>
 * </ul>
 */
class OperationsDocumentTests {

	private static final List<String> SERVICES = List.of("model-registry", "inference-service", "ab-router",
			"monitoring");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)(?::[^}]*)?}");

	private static final Pattern CONFIGURATION_PROPERTIES = Pattern
		.compile("@ConfigurationProperties\\s*\\(\\s*(?:(?:value|prefix)\\s*=\\s*)?\"([^\"]*)\"\\s*\\)");

	private static final Pattern VALUE = Pattern.compile("@Value\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");

	private static final Pattern CONDITIONAL_ON_PROPERTY = Pattern.compile("@ConditionalOnProperty\\s*\\(([^)]*)\\)");

	private static final Pattern GET_PROPERTY = Pattern
		.compile("(?<!System)\\.get(?:Required)?Property\\s*\\(\\s*\"([^\"]+)\"");

	private static final Pattern OPTION = Pattern.compile("@Option\\s*\\(\\s*names\\s*=\\s*\\{?\\s*\"([^\"]+)\"");

	private static final Pattern GETENV = Pattern.compile("System\\.getenv\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");

	private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\bFLYWHEEL_[A-Z_]+\\b");

	@Test
	void everyConfigurationKeyIsDocumentedInItsSection() {
		Map<String, String> sections = sections(read(Repository.file("docs/operations.md")));
		Map<String, SortedSet<String>> keys = new LinkedHashMap<>();
		for (String service : SERVICES) {
			keys.put(service, serviceKeys(service));
		}
		keys.put("training-pipeline", trainingPipelineOptions());
		keys.put("launcher", launcherVariables());

		List<String> missing = new ArrayList<>();
		keys.forEach((section, sectionKeys) -> {
			String text = sections.get(section);
			if (text == null) {
				missing.add("section '## " + section + "' (none of its " + sectionKeys.size() + " keys is documented)");
				return;
			}
			sectionKeys.stream()
				.filter(key -> !documented(text, key))
				.forEach(key -> missing.add(section + ": " + key));
		});
		if (!missing.isEmpty()) {
			fail("docs/operations.md does not document " + missing.size()
					+ " configuration key(s) in their service's section (write each in backticks, with its default"
					+ " and meaning):\n  " + String.join("\n  ", missing));
		}
	}

	/** A parser that collects nothing would pass the test above: known keys must be found. */
	@Test
	void theKeysAreCollected() {
		assertThat(serviceKeys("model-registry")).contains("server.address", "flywheel.home",
				"flywheel.security.token", "flywheel.registry.max-artifact-size", "flywheel.registry.database-timeout",
				"spring.r2dbc.url", "spring.flyway.url", "management.endpoints.web.exposure.include");
		assertThat(serviceKeys("inference-service")).contains("flywheel.inference.batching.max-queue-delay",
				"flywheel.inference.prediction-log.flush-interval", "flywheel.inference.pinned",
				"flywheel.inference.bench-endpoints", "spring.codec.max-in-memory-size")
			.doesNotContain("spring.flyway.url");
		assertThat(serviceKeys("ab-router")).contains("flywheel.router.pending-predictions",
				"flywheel.router.bench-endpoints", "flywheel.inference.connections", "spring.autoconfigure.exclude",
				"management.observations.enable.http.server.requests");
		assertThat(serviceKeys("monitoring")).contains("flywheel.home", "flywheel.router.token",
				"flywheel.monitoring.pending-rows", "flywheel.monitoring.retraining.triggers.min-labels",
				"flywheel.monitoring.retraining.ab-test.challenger-weight", "flywheel.monitoring.retraining.models");
		assertThat(trainingPipelineOptions()).contains("--spec", "--registry", "--data-dir", "FLYWHEEL_REGISTRY_URL",
				"MLFLOW_TRACKING_TOKEN");
		assertThat(launcherVariables()).contains("FLYWHEEL_HOME", "FLYWHEEL_ROUTER_PORT", "FLYWHEEL_JAVA_OPTS");
	}

	@Test
	void recordComponentsBecomeKebabCaseKeysAndNestedRecordsNestedKeys() {
		String source = """
				/** A {@code record Fake(int x)} in a comment, and "a string with // no comment". */
				@ConfigurationProperties(prefix = "acme")
				public record AcmeProperties(@DefaultValue("a,b)") List<String> someNames,
						@DefaultValue Inner inner, Map<String, List<Integer>> perModel, java.time.Duration pollInterval) {
					public record Inner(@DefaultValue("8MB") DataSize maxRequestSize, @DefaultValue Deeper deeper) {
					}
					record Deeper(boolean enabled) {
					}
				}
				""";
		SortedSet<String> keys = new TreeSet<>();
		propertiesKeys(source, Map.of(), keys);
		assertThat(keys).containsExactly("acme.inner.deeper.enabled", "acme.inner.max-request-size", "acme.per-model",
				"acme.poll-interval", "acme.some-names");
		assertThat(documented("| `acme.per-model.<model>` | none |", "acme.per-model")).isTrue();
		assertThat(documented("| `acme.per-model` | none |", "acme.per")).isFalse();
	}

	// --- what each part declares

	static SortedSet<String> serviceKeys(String module) {
		SortedSet<String> keys = new TreeSet<>();
		Path yaml = Repository.file(module + "/src/main/resources/application.yaml");
		if (!Files.isRegularFile(yaml)) {
			fail("no " + yaml + ": where does " + module + " keep its configuration now?");
		}
		String yamlText = read(yaml);
		Object tree = new Yaml().load(yamlText);
		flatten("", tree, keys);
		placeholders(yamlText, keys);
		Map<String, String> sources = javaSources(Repository.file(module + "/src/main/java"));
		Map<String, String> records = recordIndex(sources.values());
		for (String source : sources.values()) {
			propertiesKeys(source, records, keys);
			otherKeys(source, keys);
		}
		boolean importsFlyway = sources.values().stream().anyMatch(s -> s.contains("FlywayDataSourceConfiguration"));
		if (importsFlyway) {
			javaSources(Repository.file("service-support/src/main/java")).values()
				.stream()
				.filter(s -> s.contains("class FlywayDataSourceConfiguration"))
				.forEach(s -> otherKeys(s, keys));
		}
		return keys;
	}

	static SortedSet<String> trainingPipelineOptions() {
		SortedSet<String> keys = new TreeSet<>();
		for (String source : javaSources(Repository.file("training-pipeline/src/main/java")).values()) {
			String code = stripComments(source);
			matches(OPTION, code).forEach(keys::add);
			matches(GETENV, code).forEach(keys::add);
		}
		return keys;
	}

	static SortedSet<String> launcherVariables() {
		SortedSet<String> keys = new TreeSet<>();
		matches(LAUNCHER_VARIABLE, read(Repository.file("flywheel"))).forEach(keys::add);
		return keys;
	}

	// --- YAML

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object node, Set<String> keys) {
		if (node instanceof Map<?, ?> map && !map.isEmpty()) {
			((Map<Object, Object>) map).forEach((key, value) -> flatten(
					prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, keys));
		}
		else if (!prefix.isEmpty()) {
			keys.add(prefix);
		}
	}

	private static void placeholders(String text, Set<String> keys) {
		matches(PLACEHOLDER, text).forEach(keys::add);
	}

	// --- Java

	/** {@code @ConfigurationProperties} records: the prefix, then each component, nested records recursively. */
	static void propertiesKeys(String source, Map<String, String> moduleRecords, Set<String> keys) {
		String code = stripComments(source);
		Matcher annotation = CONFIGURATION_PROPERTIES.matcher(code);
		while (annotation.find()) {
			String prefix = annotation.group(1);
			Matcher record = Pattern.compile("(?:\\s|@\\w+(?:\\([^)]*\\))?|public|final|static)*record\\s+(\\w+)\\s*\\(")
				.matcher(code)
				.region(annotation.end(), code.length());
			if (!record.lookingAt()) {
				fail("@ConfigurationProperties(\"" + prefix + "\") is not on a record: this test reads records only;"
						+ " make it a record or teach the test its form");
			}
			Map<String, String> records = new LinkedHashMap<>(moduleRecords);
			records.putAll(recordIndex(List.of(source)));
			components(code, record.end() - 1, prefix, records, keys, 0);
		}
	}

	private static void components(String code, int open, String prefix, Map<String, String> records,
			Set<String> keys, int depth) {
		if (depth > 8) {
			fail("records nested deeper than 8 under " + prefix + ": a cycle?");
		}
		String list = code.substring(open + 1, closing(code, open));
		for (String component : splitTopLevel(list)) {
			String declaration = stripAnnotations(component).trim();
			if (declaration.isEmpty()) {
				continue;
			}
			Matcher parts = Pattern.compile("^(.*?)\\s*(\\w+)$", Pattern.DOTALL).matcher(declaration);
			if (!parts.matches()) {
				fail("cannot read the record component '" + component.trim() + "' under " + prefix);
			}
			String type = parts.group(1).replaceAll("\\s+", "");
			String key = prefix + "." + kebab(parts.group(2));
			String raw = type.replaceAll("<.*", "").replaceAll(".*\\.", "");
			String nested = records.get(raw);
			if (nested != null) {
				Matcher declared = Pattern.compile("\\brecord\\s+" + raw + "\\s*\\(").matcher(nested);
				if (!declared.find()) {
					throw new IllegalStateException("record " + raw + " indexed but not found");
				}
				int nestedOpen = declared.end() - 1;
				components(nested, nestedOpen, key, records, keys, depth + 1);
			}
			else {
				keys.add(key);
			}
		}
	}

	/** Every record declared in these sources, by simple name, with the (comment-free) source it is declared in. */
	private static Map<String, String> recordIndex(Iterable<String> sources) {
		Map<String, String> records = new LinkedHashMap<>();
		for (String source : sources) {
			String code = stripComments(source);
			Matcher record = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(").matcher(code);
			while (record.find()) {
				records.putIfAbsent(record.group(1), code);
			}
		}
		return records;
	}

	private static void otherKeys(String source, Set<String> keys) {
		String code = stripComments(source);
		for (String value : matches(VALUE, code)) {
			placeholders(value, keys);
		}
		Matcher conditional = CONDITIONAL_ON_PROPERTY.matcher(code);
		while (conditional.find()) {
			String arguments = conditional.group(1);
			String prefix = attribute(arguments, "prefix").map(p -> p + ".").orElse("");
			Optional<String> name = attribute(arguments, "name").or(() -> attribute(arguments, "value"));
			if (name.isEmpty()) {
				fail("cannot read @ConditionalOnProperty(" + arguments + ")");
			}
			keys.add(prefix + name.get());
		}
		matches(GET_PROPERTY, code).forEach(keys::add);
	}

	private static Optional<String> attribute(String arguments, String name) {
		Matcher matcher = Pattern.compile("\\b" + name + "\\s*=\\s*\\{?\\s*\"([^\"]+)\"").matcher(arguments);
		return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	/** The source without comments; string and character literals are kept as they are. */
	static String stripComments(String source) {
		StringBuilder out = new StringBuilder(source.length());
		int i = 0;
		while (i < source.length()) {
			char c = source.charAt(i);
			if (source.startsWith("//", i)) {
				while (i < source.length() && source.charAt(i) != '\n') {
					i++;
				}
			}
			else if (source.startsWith("/*", i)) {
				int end = source.indexOf("*/", i + 2);
				i = end < 0 ? source.length() : end + 2;
				out.append(' ');
			}
			else if (source.startsWith("\"\"\"", i)) {
				int end = source.indexOf("\"\"\"", i + 3);
				end = end < 0 ? source.length() : end + 3;
				out.append(source, i, end);
				i = end;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				while (end < source.length() && source.charAt(end) != c) {
					end += source.charAt(end) == '\\' ? 2 : 1;
				}
				end = Math.min(end + 1, source.length());
				out.append(source, i, end);
				i = end;
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	/** The index of the parenthesis that closes the one at {@code open}, skipping string literals. */
	private static int closing(String code, int open) {
		int depth = 0;
		for (int i = open; i < code.length(); i++) {
			char c = code.charAt(i);
			if (c == '"') {
				i = endOfString(code, i);
			}
			else if (c == '(') {
				depth++;
			}
			else if (c == ')' && --depth == 0) {
				return i;
			}
		}
		throw new IllegalStateException("unbalanced parentheses after offset " + open);
	}

	private static int endOfString(String code, int quote) {
		int i = quote + 1;
		while (i < code.length() && code.charAt(i) != '"') {
			i += code.charAt(i) == '\\' ? 2 : 1;
		}
		return i;
	}

	/** Splits on the commas outside parentheses, braces, angle brackets and string literals. */
	private static List<String> splitTopLevel(String list) {
		List<String> parts = new ArrayList<>();
		int depth = 0;
		int start = 0;
		for (int i = 0; i < list.length(); i++) {
			char c = list.charAt(i);
			if (c == '"') {
				i = endOfString(list, i);
			}
			else if (c == '(' || c == '{' || c == '<') {
				depth++;
			}
			else if (c == ')' || c == '}' || c == '>') {
				depth--;
			}
			else if (c == ',' && depth == 0) {
				parts.add(list.substring(start, i));
				start = i + 1;
			}
		}
		parts.add(list.substring(start));
		return parts;
	}

	/** Removes {@code @Name} and {@code @Name(...)} (balanced, strings skipped) from a record component. */
	private static String stripAnnotations(String component) {
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < component.length()) {
			char c = component.charAt(i);
			if (c == '@') {
				i++;
				while (i < component.length()
						&& (Character.isJavaIdentifierPart(component.charAt(i)) || component.charAt(i) == '.')) {
					i++;
				}
				int next = i;
				while (next < component.length() && Character.isWhitespace(component.charAt(next))) {
					next++;
				}
				if (next < component.length() && component.charAt(next) == '(') {
					i = closing(component, next) + 1;
				}
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

	// --- the document

	/** The text of each {@code ## name ...} section, by its first word. */
	static Map<String, String> sections(String document) {
		Map<String, String> sections = new TreeMap<>();
		Matcher heading = Pattern.compile("(?m)^## +`?([\\w.-]+)`?").matcher(document);
		List<Integer> starts = new ArrayList<>();
		List<String> names = new ArrayList<>();
		while (heading.find()) {
			starts.add(heading.start());
			names.add(heading.group(1));
		}
		for (int i = 0; i < names.size(); i++) {
			int end = i + 1 < names.size() ? starts.get(i + 1) : document.length();
			sections.put(names.get(i), document.substring(starts.get(i), end));
		}
		return sections;
	}

	/** In backticks, as it is, or followed by {@code .<placeholder>...} (the keys under a map). */
	static boolean documented(String text, String key) {
		return Pattern.compile("`" + Pattern.quote(key) + "(?:\\.<[^>`]+>[^`]*)?`").matcher(text).find();
	}

	// --- files

	private static Map<String, String> javaSources(Path root) {
		if (!Files.isDirectory(root)) {
			fail("no " + root);
		}
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter(p -> p.toString().endsWith(".java"))
				.sorted()
				.collect(Collectors.toMap(Path::toString, OperationsDocumentTests::read, (a, b) -> a,
						LinkedHashMap::new));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> matches(Pattern pattern, String text) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.groupCount() == 0 ? matcher.group() : matcher.group(1));
		}
		return found;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file, ex);
		}
	}

}
