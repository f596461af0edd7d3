package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keeps {@code docs/api.md} complete and runnable without a platform (running its examples is
 * {@code PlatformIntegrationTests.everyExampleOfTheApiDocumentWorks}): every route of every service, read from the
 * sources ({@code @GetMapping} and its kin under the class's {@code @RequestMapping}, the router's Reactor Netty
 * routes, Actuator's health and Prometheus), has a {@code curl} in a {@code ```bash} block on that service's default
 * port; one of a route's alternative paths is enough (the registry's {@code /ajax-api/} mounts), and routes that only
 * a property turns on ({@code @ConditionalOnProperty}: the benchmarks' endpoints) are left out.
 */
class ApiDocumentTests {

	private static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

	static {
		SERVICES.put("model-registry", 5000);
		SERVICES.put("inference-service", 8081);
		SERVICES.put("ab-router", 8080);
		SERVICES.put("monitoring", 8082);
	}

	private static final Pattern MAPPING = Pattern
		.compile("@(Get|Post|Put|Patch|Delete|Request)Mapping\\b(?:\\s*\\(((?:[^()]|\\([^()]*\\))*)\\))?");

	private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");

	private static final Pattern TERM = Pattern.compile("\"([^\"]*)\"|[A-Za-z_]\\w*");

	private static final Pattern EXPRESSION = Pattern
		.compile("(?:\"[^\"]*\"|[A-Za-z_]\\w*)(?:\\s*\\+\\s*(?:\"[^\"]*\"|[A-Za-z_]\\w*))*");

	private static final Pattern NETTY_ROUTES = Pattern
		.compile("\\.post\\(\\s*\"[^\"]*\"|READ_ONLY_PATHS = List\\.of\\([^)]*\\)");

	private static final Pattern CONSTANT = Pattern.compile("static final String (\\w+) = \"([^\"]*)\";");

	private static final Pattern CLASS = Pattern.compile("^(?:public\\s+|final\\s+|abstract\\s+)*class\\s+\\w+",
			Pattern.MULTILINE);

	@Test
	void theExamplesKeepTheDocumentsRules() {
		List<ApiDocument.Block> blocks = ApiDocument.blocks(read(Repository.file("docs/api.md")));
		assertThat(blocks).hasSizeGreaterThan(50);
		assertThat(blocks).as("blocks that name localhost, which the test cannot move to the platform's ports")
			.noneMatch(block -> block.code().contains("localhost"));
		assertThat(blocks.stream().filter(block -> !block.expected().isEmpty())).as("expected errors").isNotEmpty();
	}

	@Test
	void aCurlWithoutDashFOrAnExpectBlockWithTwoCurlsIsRefused() {
		assertThatThrownBy(() -> ApiDocument.blocks("```bash\ncurl -s http://127.0.0.1:5000/health\n```\n"))
			.hasMessageContaining("has no -f");
		assertThatThrownBy(() -> ApiDocument
			.blocks("```bash\n# expect: 404\ncurl -s http://127.0.0.1:5000/a\ncurl -s http://127.0.0.1:5000/b\n```\n"))
			.hasMessageContaining("exactly one curl");
		List<ApiDocument.Block> blocks = ApiDocument.blocks("""
				```bash
				curl -sf http://127.0.0.1:5000/health
				```
				```sh
				./flywheel up
				```
				```bash
				# expect: 200 or 503
				curl -s http://127.0.0.1:8081/v2/health/ready
				```
				""");
		assertThat(blocks).extracting(ApiDocument.Block::line).containsExactly(2, 8);
		assertThat(blocks.get(1).expected()).containsExactly(200, 503);
		assertThat(ApiDocument.script(blocks, Map.of(5000, 15000, 8081, 15081)))
			.contains("curl -sf http://127.0.0.1:15000/health", "curl -s http://127.0.0.1:15081/v2/health/ready")
			.doesNotContain("./flywheel");
	}

	@Test
	void everyRouteOfEveryServiceHasAnExample() {
		String examples = ApiDocument.blocks(read(Repository.file("docs/api.md")))
			.stream()
			.map(ApiDocument.Block::code)
			.collect(Collectors.joining("\n"));
		List<String> missing = new ArrayList<>();
		SERVICES.forEach((module, port) -> {
			List<List<String>> routes = routes(module);
			routes.add(List.of("/actuator/health"));
			routes.add(List.of("/actuator/prometheus"));
			assertThat(routes).as(module + "'s routes").hasSizeGreaterThan(3);
			for (List<String> alternatives : routes) {
				if (alternatives.stream().noneMatch(path -> example(port, path).matcher(examples).find())) {
					missing.add(module + " (:" + port + ") " + String.join(" or ", alternatives));
				}
			}
		});
		assertThat(missing).as("routes without a curl in docs/api.md").isEmpty();
	}

	/**
	 * A curl of {@code path} on {@code port}: a path variable matches one segment, {@code /**} any path; the path ends
	 * there (a query, a quote, a space, a semicolon may follow).
	 */
	private static Pattern example(int port, String path) {
		StringBuilder regex = new StringBuilder("127\\.0\\.0\\.1:" + port);
		Matcher part = Pattern.compile("/\\*\\*|\\{[^}]+}|[^{/]+|/").matcher(path);
		while (part.find()) {
			String token = part.group();
			regex.append(token.equals("/**") ? "(?:/[^?\\s\"']*)?"
					: token.startsWith("{") ? "[^/?\\s\"']+" : Pattern.quote(token));
		}
		return Pattern.compile(regex + "(?![\\w/.:{}$-])");
	}

	/** Each route of the module, as its alternative paths. */
	private static List<List<String>> routes(String module) {
		List<List<String>> routes = new ArrayList<>();
		try (Stream<Path> files = Files.walk(Repository.file(module + "/src/main/java"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
				String source = read(file);
				if (source.contains("@ConditionalOnProperty")) {
					continue;
				}
				Map<String, String> constants = new HashMap<>();
				Matcher constant = CONSTANT.matcher(source);
				while (constant.find()) {
					constants.put(constant.group(1), constant.group(2));
				}
				if (source.contains("implements NettyRouteProvider")) {
					// the router's prediction paths: its routes.post(...) and the list of its read-only paths
					Matcher netty = NETTY_ROUTES.matcher(source);
					while (netty.find()) {
						Matcher literal = STRING.matcher(netty.group());
						while (literal.find()) {
							routes.add(List.of(literal.group(1)));
						}
					}
					continue;
				}
				if (!source.contains("@RestController")) {
					continue;
				}
				Matcher declaration = CLASS.matcher(source);
				int body = declaration.find() ? declaration.start() : 0;
				List<String> prefixes = List.of("");
				Matcher mapping = MAPPING.matcher(source);
				while (mapping.find()) {
					List<String> paths = paths(mapping.group(2), constants);
					if (mapping.start() < body) {
						prefixes = paths;
						continue;
					}
					List<String> alternatives = new ArrayList<>();
					for (String prefix : prefixes) {
						for (String path : paths) {
							alternatives.add(prefix + path);
						}
					}
					routes.add(alternatives);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return routes;
	}

	/** The paths an annotation's arguments name: string literals and constants joined by {@code +}. */
	private static List<String> paths(String arguments, Map<String, String> constants) {
		if (arguments == null || arguments.isBlank()) {
			return List.of("");
		}
		String withoutOptions = arguments.replaceAll("\\b(method|produces|consumes|headers|params)\\s*=\\s*"
				+ "(\\{[^}]*}|[\\w.]+)", "");
		List<String> paths = new ArrayList<>();
		Matcher expression = EXPRESSION.matcher(withoutOptions);
		while (expression.find()) {
			StringBuilder path = new StringBuilder();
			boolean named = false;
			Matcher term = TERM.matcher(expression.group());
			while (term.find()) {
				if (term.group(1) != null) {
					path.append(term.group(1));
					named = true;
				}
				else if (constants.containsKey(term.group())) {
					path.append(constants.get(term.group()));
					named = true;
				}
			}
			if (named) {
				paths.add(path.toString());
			}
		}
		return paths.isEmpty() ? List.of("") : paths;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
