package dev.flywheel.platform;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import dev.flywheel.platform.ComposeFile.Build;
import dev.flywheel.platform.ComposeFile.Mount;
import dev.flywheel.platform.Dockerfile.Copy;

import dev.flywheel.support.testing.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The deployment files ({@code <module>/Dockerfile}, {@code deploy/}, {@code .github/workflows/}) against what they describe:
 * the modules' poms and {@code application.yaml}, the launcher, the alert rules, the Grafana dashboard, the README
 * and {@code .ci/run}. Nothing here runs Docker or reaches the network; {@code promtool} checks Prometheus's
 * configuration as the container sees it.
 */
class DeploymentTests {

	private static final Path ROOT = Repository.root();

	private static final ComposeFile COMPOSE = ComposeFile.read(ROOT.resolve("deploy/compose.yaml"));

	private static final LauncherScript LAUNCHER = LauncherScript.read(ROOT.resolve("flywheel"));

	/** {@code curl -fsS "http://127.0.0.1:${SERVER_PORT:-5000}/actuator/health/readiness"} or a literal port. */
	private static final Pattern HEALTH_CHECK_PORT = Pattern
		.compile("127\\.0\\.0\\.1:(?:\\$\\{SERVER_PORT:-(\\d+)}|(\\d+))/actuator/health/readiness");

	private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE\\s+DATABASE\\s+\"?(\\w+)\"?",
			Pattern.CASE_INSENSITIVE);

	/** The ab-test subcommand's syntax (the launcher's usage), which ml-pipeline.yml must follow. */
	private static final Pattern AB_TEST_SYNTAX = Pattern.compile("ab-test (create \\S+( --weight \\d+)?"
			+ "( --action (promote|rollback|report))?|show( \\S+)?|stop \\S+)");

	// (a) the images and the services in compose

	@Test
	void composeBuildsEveryServiceTheLauncherStartsFromItsModulesDockerfile() {
		Map<String, Build> builds = COMPOSE.builds();
		assertThat(builds.values().stream().map(Build::module))
			.as("the modules compose builds images of")
			.containsExactlyInAnyOrderElementsOf(LAUNCHER.modules().values());
		builds.forEach((service, build) -> {
			assertThat(build.context()).as(service + "'s build context").isDirectory();
			assertThat(build.dockerfile()).as(service + "'s Dockerfile").isRegularFile();
			assertThat(ROOT.resolve(build.module()).resolve("pom.xml")).as(service + "'s module").isRegularFile();
			assertThat(COMPOSE.image(service)).as(service + "'s image name")
				.hasValue("flywheel/" + build.module() + ":" + pom(build.module()).version());
		});
	}

	@Test
	void eachImageCopiesItsModulesJarByTheNameItsPomGives() {
		COMPOSE.builds().forEach((service, build) -> {
			Dockerfile dockerfile = Dockerfile.read(build.dockerfile());
			Copy jar = copyOf(dockerfile, build.module()).orElseThrow(() -> new AssertionError(build.dockerfile()
					+ " copies no " + build.module() + "/target/*.jar"));
			assertThat(jar.sources()).as(build.dockerfile() + " copies the module's jar")
				.containsExactly(pom(build.module()).jar());
			List<String> entrypoint = dockerfile.entrypoint();
			assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
				.as(build.dockerfile() + " ends its entrypoint running the jar it copied")
				.containsExactly("-jar", jar.destination());
		});
	}

	@Test
	void eachImageRunsItsServiceWithTheLaunchersJvmOptions() {
		Map<String, List<String>> launcherOptions = LAUNCHER.jvmOptions();
		assertThat(launcherOptions).as("the launcher's JVM options (the inference service's memory settings)")
			.isNotEmpty();
		COMPOSE.builds().forEach((service, build) -> {
			List<String> entrypoint = Dockerfile.read(build.dockerfile()).entrypoint();
			assertThat(entrypoint.get(0)).as(build.dockerfile() + " runs").isEqualTo("java");
			assertThat(entrypoint.subList(1, entrypoint.size() - 2)).as(build.dockerfile() + "'s JVM options")
				.containsExactlyElementsOf(launcherOptions.getOrDefault(build.module(), List.of()));
		});
	}

	@Test
	void everyFileAnImageCopiesReachesTheBuilderAndExists() {
		COMPOSE.builds().forEach((service, build) -> {
			Path ignoreFile = build.context().resolve(".dockerignore");
			DockerIgnore ignore = Files.exists(ignoreFile) ? DockerIgnore.read(ignoreFile) : null;
			for (Copy copy : Dockerfile.read(build.dockerfile()).copies()) {
				for (String source : copy.sources()) {
					if (source.matches("[a-z-]+/target/[^/]+\\.jar")) {
						// packaged by Maven before the build: its name is checked against the pom
						String module = source.substring(0, source.indexOf('/'));
						assertThat(source).as(build.dockerfile() + " copies " + module + "'s jar by its pom's name")
							.isEqualTo(pom(module).jar());
						assertThat(ignore == null || ignore.sends(Path.of(source)))
							.as(".dockerignore lets " + source + " through").isTrue();
						continue;
					}
					Path file = build.context().resolve(source);
					assertThat(file).as(build.dockerfile() + " copies " + source).exists();
					for (Path each : filesUnder(file)) {
						Path relative = build.context().relativize(each);
						assertThat(ignore == null || ignore.sends(relative))
							.as(".dockerignore lets " + relative + " through").isTrue();
					}
				}
			}
		});
	}

	@Test
	void eachServiceListensWhereItsApplicationYamlSaysAndComposePublishesThatPort() {
		COMPOSE.builds().forEach((service, build) -> {
			int port = serverPort(build.module());
			Dockerfile dockerfile = Dockerfile.read(build.dockerfile());
			assertThat(dockerfile.arguments("EXPOSE")).as(build.dockerfile() + " EXPOSE")
				.containsExactly(Integer.toString(port));
			assertThat(healthCheckPort(dockerfile)).as(build.dockerfile() + " health check port").isEqualTo(port);
			assertThat(COMPOSE.containerPorts(service)).as(service + "'s published container port")
				.containsExactly(port);
			assertThat(COMPOSE.environment(service)).as(service + " keeps its application.yaml port")
				.doesNotContainKey("SERVER_PORT");
			assertThat(dockerfile.environment()).as(build.dockerfile() + " keeps the application.yaml port")
				.doesNotContainKey("SERVER_PORT");
		});
	}

	@Test
	void everyStatefulServiceUsesADatabaseTheInitScriptCreates() throws IOException {
		List<String> postgresServices = COMPOSE.servicesOfImage("postgres:");
		assertThat(postgresServices).as("PostgreSQL services in compose").hasSize(1);
		String postgres = postgresServices.get(0);
		Map<String, String> postgresEnvironment = COMPOSE.environment(postgres);
		Set<String> created = new HashSet<>();
		for (Mount mount : COMPOSE.bindMounts(postgres)) {
			if (mount.target().startsWith("/docker-entrypoint-initdb.d/") && mount.target().endsWith(".sql")) {
				Matcher database = CREATE_DATABASE.matcher(Files.readString(mount.source()));
				while (database.find()) {
					created.add(database.group(1));
				}
			}
		}
		assertThat(created).as("databases the init scripts create").isNotEmpty();
		Set<String> used = new HashSet<>();
		COMPOSE.builds().forEach((service, build) -> {
			String url = COMPOSE.environment(service).get("SPRING_R2DBC_URL");
			if (!Files.isDirectory(ROOT.resolve(build.module()).resolve("src/main/resources/db/migration"))) {
				assertThat(url).as(service + " has no database, so no URL").isNull();
				return;
			}
			assertThat(url).as(service + " has a database: SPRING_R2DBC_URL must name PostgreSQL, else it keeps H2 "
					+ "in the container").startsWith("r2dbc:postgresql://");
			URI uri = URI.create(url.substring("r2dbc:".length()));
			assertThat(uri.getHost()).as(service + "'s database host").isEqualTo(postgres);
			assertThat(uri.getPort()).as(service + "'s database port").isIn(-1, 5432);
			assertThat(uri.getUserInfo()).as(service + "'s database user")
				.isEqualTo(postgresEnvironment.getOrDefault("POSTGRES_USER", "postgres"));
			String database = uri.getPath().substring(1);
			assertThat(created).as(service + "'s database").contains(database);
			assertThat(used.add(database)).as(database + " belongs to " + service + " alone").isTrue();
			if (!"trust".equals(postgresEnvironment.get("POSTGRES_HOST_AUTH_METHOD"))) {
				assertThat(COMPOSE.environment(service).get("SPRING_R2DBC_PASSWORD"))
					.as(service + "'s database password").isEqualTo(postgresEnvironment.get("POSTGRES_PASSWORD"));
			}
		});
	}

	@Test
	void eachServiceIsGivenTheOthersAddressesAsTheLauncherGivesThem() {
		Map<String, String> serviceOfModule = new LinkedHashMap<>();
		COMPOSE.builds().forEach((service, build) -> serviceOfModule.put(build.module(), service));
		Map<String, Map<String, String>> addresses = LAUNCHER.addresses();
		assertThat(addresses).as("the launcher's address arguments").isNotEmpty();
		addresses.forEach((module, properties) -> properties.forEach((property, target) -> {
			String service = serviceOfModule.get(module);
			String expected = "http://" + serviceOfModule.get(target) + ":" + serverPort(target);
			assertThat(COMPOSE.environment(service)).as(service + " is given " + property)
				.containsEntry(environmentName(property), expected);
		}));
		// and nothing in compose points anywhere else
		for (String service : COMPOSE.serviceNames()) {
			COMPOSE.environment(service).forEach((name, value) -> {
				Matcher address = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)").matcher(value);
				if (address.find()) {
					String host = address.group(1);
					assertThat(COMPOSE.has(host)).as(service + ": " + name + " names compose service " + host).isTrue();
					assertThat(Integer.parseInt(address.group(2))).as(service + ": " + name + "'s port")
						.isEqualTo(listeningPort(host));
				}
			});
		}
	}

	@Test
	void monitoringsImageHoldsTheTrainingJobAndTheDataItsSpecsRead() throws IOException {
		Map<String, Map<String, String>> jars = LAUNCHER.jars();
		assertThat(jars).as("the jars the launcher gives services").isNotEmpty();
		for (var entry : jars.entrySet()) {
			Build build = COMPOSE.builds().get(serviceOf(entry.getKey()));
			Dockerfile dockerfile = Dockerfile.read(build.dockerfile());
			for (var jar : entry.getValue().entrySet()) {
				Copy copy = copyOf(dockerfile, jar.getValue()).orElseThrow(() -> new AssertionError(
						build.dockerfile() + " does not copy " + jar.getValue() + "'s jar, which the launcher gives "
								+ entry.getKey() + " as " + jar.getKey()));
				assertThat(dockerfile.environment()).as(build.dockerfile() + " sets " + jar.getKey())
					.containsEntry(environmentName(jar.getKey()), copy.destination());
			}
			// the example specs, as laid out in the image, find their datasets there
			List<Copy> copies = dockerfile.copies();
			Copy examples = copies.stream()
				.filter(c -> c.sources().equals(List.of("examples/")))
				.findFirst()
				.orElseThrow(() -> new AssertionError(build.dockerfile() + " does not copy examples/"));
			try (Stream<Path> specs = Files.list(ROOT.resolve("examples"))) {
				for (Path spec : specs.filter(p -> p.toString().endsWith(".yaml")).toList()) {
					String dataset = YamlTree.text(YamlTree.map(YamlTree.read(spec), "dataset"), "path");
					Path inImage = Path.of(examples.destination()).resolve(dataset).normalize();
					assertThat(repositoryFileAt(copies, inImage)).as(spec.getFileName() + "'s dataset at " + inImage
							+ " in the image of " + build.module())
						.hasValueSatisfying(file -> assertThat(file).isRegularFile());
				}
			}
		}
	}

	@Test
	void servicesThatRefuseToListenWithoutATokenAreGivenOne() {
		COMPOSE.builds().forEach((service, build) -> {
			boolean guarded;
			try (Stream<Path> sources = Files.walk(ROOT.resolve(build.module()).resolve("src/main/java"))) {
				guarded = sources.filter(p -> p.toString().endsWith(".java"))
					.anyMatch(p -> readString(p).contains("@Import(ManagementSecurity.class)"));
			}
			catch (IOException ex) {
				throw new AssertionError(ex);
			}
			String address = Dockerfile.read(build.dockerfile()).environment().get("SERVER_ADDRESS");
			assertThat(address).as(build.dockerfile() + " listens beyond loopback").isEqualTo("0.0.0.0");
			if (guarded) {
				assertThat(COMPOSE.environment(service).get("FLYWHEEL_SECURITY_TOKEN"))
					.as(service + " refuses to start on 0.0.0.0 without a token: compose requires one, no default")
					.startsWith("${FLYWHEEL_SECURITY_TOKEN:?");
			}
		});
	}

	@Test
	void whatWritesToTheRegistryCarriesItsToken() {
		String token = COMPOSE.environment(serviceOf("model-registry")).get("FLYWHEEL_SECURITY_TOKEN");
		// the router moves aliases (flywheel.security.token); monitoring reads champions with its registry token,
		// and the training jobs it launches inherit its environment and publish with MLFLOW_TRACKING_TOKEN
		Map<String, List<String>> writers = Map.of("ab-router", List.of("FLYWHEEL_SECURITY_TOKEN"), "monitoring",
				List.of("FLYWHEEL_REGISTRY_TOKEN", "MLFLOW_TRACKING_TOKEN"));
		writers.forEach((module, variables) -> variables
			.forEach(variable -> assertThat(COMPOSE.environment(serviceOf(module))).as(module + "'s " + variable)
				.containsEntry(variable, token)));
	}

	@Test
	void theSecretsFileStaysOutOfGitAndOfTheImages() {
		assertThat(readString(ROOT.resolve(".gitignore")).lines()).as(".gitignore").contains("deploy/.env");
		COMPOSE.builds()
			.values()
			.forEach(build -> assertThat(DockerIgnore.read(build.context().resolve(".dockerignore"))
				.sends(build.context().relativize(ROOT.resolve("deploy/.env")))).as("deploy/.env sent to the builder")
				.isFalse());
	}

	@Test
	void servicesStartInTheLaunchersOrderEachHealthyBeforeTheNext() {
		List<String> order = List.copyOf(LAUNCHER.modules().values());
		for (int i = 1; i < order.size(); i++) {
			assertThat(COMPOSE.dependencies(serviceOf(order.get(i))))
				.as(order.get(i) + " starts once " + order.get(i - 1) + " is healthy, as the launcher starts them")
				.containsEntry(serviceOf(order.get(i - 1)), "service_healthy");
		}
	}

	@Test
	void everyServiceWaitedForAsHealthyHasAHealthCheck() {
		Map<String, Build> builds = COMPOSE.builds();
		for (String service : COMPOSE.serviceNames()) {
			COMPOSE.dependencies(service).forEach((dependency, condition) -> {
				assertThat(COMPOSE.has(dependency)).as(service + " depends on " + dependency).isTrue();
				if (condition.equals("service_healthy")) {
					Object healthcheck = COMPOSE.service(dependency).get("healthcheck");
					boolean checked = (healthcheck instanceof Map<?, ?> check && check.get("test") != null)
							|| (builds.containsKey(dependency)
									&& !Dockerfile.read(builds.get(dependency).dockerfile()).arguments("HEALTHCHECK")
										.isEmpty());
					assertThat(checked).as(service + " waits for " + dependency + " to be healthy: it needs a health "
							+ "check (compose or Dockerfile)").isTrue();
				}
			});
		}
	}

	// (b) promtool accepts Prometheus's configuration as the container sees it

	@Test
	void promtoolAcceptsThePrometheusConfigurationAsMounted(@TempDir Path container) throws Exception {
		String prometheus = single(COMPOSE.servicesOfImage("prom/prometheus:"), "Prometheus services");
		String config = "/etc/prometheus/prometheus.yml";
		List<Mount> mounts = COMPOSE.bindMounts(prometheus);
		assertThat(mounts).as("Prometheus mounts its configuration").extracting(Mount::target).contains(config);
		// the container's /etc/prometheus, rebuilt from the mounts: promtool reads rule_files relative to the config
		for (Mount mount : mounts) {
			assertThat(mount.readOnly()).as(mount.source() + " mounted read-only").isTrue();
			if (mount.target().startsWith("/etc/prometheus/")) {
				Path copy = container.resolve(mount.target().substring("/etc/prometheus/".length()));
				Files.createDirectories(copy.getParent());
				Files.copy(mount.source(), copy, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Process process = new ProcessBuilder(ExternalTool.require("promtool", "prometheus", "Prometheus's configuration cannot be checked").toString(), "check", "config",
				container.resolve("prometheus.yml").toString())
			.redirectErrorStream(true)
			.start();
		String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		assertThat(process.exitValue()).as("promtool check config said:\n" + report).isZero();
		assertThat(report).as("promtool check config said").containsPattern("SUCCESS: [1-9]\\d* rule files found");
	}

	// (c) Prometheus scrapes every service where it listens

	@Test
	void everyScrapeTargetIsAComposeServiceOnItsPort() {
		Map<String, Object> config = YamlTree.read(ROOT.resolve("deploy/prometheus/prometheus.yml"));
		Set<String> scraped = new TreeSet<>();
		for (Object job : YamlTree.list(config, "scrape_configs")) {
			Map<String, Object> scrape = YamlTree.asMap(job, "a scrape config");
			assertThat(YamlTree.text(scrape, "metrics_path")).as(scrape.get("job_name") + "'s metrics path")
				.isEqualTo("/actuator/prometheus");
			for (Object group : YamlTree.list(scrape, "static_configs")) {
				for (Object target : YamlTree.list(YamlTree.asMap(group, "a static config"), "targets")) {
					String[] hostPort = String.valueOf(target).split(":");
					assertThat(COMPOSE.has(hostPort[0])).as("scrape target " + target + " is a compose service")
						.isTrue();
					assertThat(Integer.parseInt(hostPort[1])).as("scrape target " + target + "'s port")
						.isEqualTo(listeningPort(hostPort[0]));
					scraped.add(hostPort[0]);
				}
			}
		}
		assertThat(scraped).as("services Prometheus scrapes").containsAll(COMPOSE.builds().keySet());
	}

	// (d) Grafana loads the dashboard with the data source it expects

	@Test
	void grafanasDashboardProviderReadsWhereComposeMountsTheDashboard() {
		String grafana = single(COMPOSE.servicesOfImage("grafana/grafana:"), "Grafana services");
		Path dashboard = ROOT.resolve("monitoring/dashboards/flywheel.json");
		List<Mount> mounts = COMPOSE.bindMounts(grafana);
		Path provisioning = provisioning(mounts);
		List<String> providerPaths = new ArrayList<>();
		for (Path file : yamlFiles(provisioning.resolve("dashboards"))) {
			for (Object provider : YamlTree.list(YamlTree.read(file), "providers")) {
				providerPaths.add(YamlTree.text(YamlTree.map(YamlTree.asMap(provider, "a provider"), "options"), "path"));
			}
		}
		assertThat(providerPaths).as("dashboard providers").isNotEmpty();
		for (String path : providerPaths) {
			Mount mount = mounts.stream()
				.filter(m -> m.target().equals(path))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no compose mount at the provider's path " + path));
			assertThat(mount.source().resolve(dashboard.getFileName())).as("the dashboard at " + path)
				.isEqualTo(dashboard);
			assertThat(mount.readOnly()).as(path + " mounted read-only").isTrue();
		}
	}

	@Test
	void theProvisionedDataSourceIsTheOneTheDashboardResolves() {
		String grafana = single(COMPOSE.servicesOfImage("grafana/grafana:"), "Grafana services");
		List<Map<String, Object>> sources = new ArrayList<>();
		for (Path file : yamlFiles(provisioning(COMPOSE.bindMounts(grafana)).resolve("datasources"))) {
			YamlTree.list(YamlTree.read(file), "datasources").forEach(s -> sources.add(YamlTree.asMap(s, "a source")));
		}
		assertThat(sources).as("provisioned data sources").isNotEmpty();
		for (Map<String, Object> source : sources) {
			URI url = URI.create(YamlTree.text(source, "url"));
			assertThat(COMPOSE.has(url.getHost())).as(source.get("name") + "'s host is a compose service").isTrue();
			assertThat(COMPOSE.containerPorts(url.getHost())).as(source.get("name") + "'s port").contains(url.getPort());
		}
		String json = readString(ROOT.resolve("monitoring/dashboards/flywheel.json"));
		List<Map<String, Object>> variables = JsonPath.read(json, "$.templating.list[?(@.type == 'datasource')]");
		List<Map<String, Object>> references = JsonPath.read(json, "$..datasource");
		assertThat(references).as("the dashboard's data-source references").isNotEmpty();
		for (Map<String, Object> reference : references) {
			String type = String.valueOf(reference.get("type"));
			String uid = String.valueOf(reference.get("uid"));
			if (type.equals("grafana")) {
				continue; // Grafana's built-in source of annotations
			}
			Matcher variable = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(uid);
			if (variable.find()) {
				// a data-source variable with no current value picks the default source of its type
				Map<String, Object> declared = variables.stream()
					.filter(v -> variable.group(1).equals(v.get("name")))
					.findFirst()
					.orElseThrow(() -> new AssertionError("the dashboard has no data-source variable " + uid));
				assertThat(declared.get("query")).as("variable " + uid + "'s type").isEqualTo(type);
				assertThat(sources).as("a provisioned default data source of type " + type)
					.anyMatch(s -> type.equals(s.get("type")) && Boolean.TRUE.equals(s.get("isDefault")));
			}
			else {
				assertThat(sources).as("a provisioned data source with uid " + uid + " and type " + type)
					.anyMatch(s -> uid.equals(String.valueOf(s.get("uid"))) && type.equals(s.get("type")));
			}
		}
	}

	// (e) the CI workflows

	@Test
	void ciRunsExactlyTheReadmesTestCommandWithWhatItNeeds() {
		Map<String, Object> ci = YamlTree.read(ROOT.resolve(".github/workflows/ci.yml"));
		List<Map<String, Object>> jobs = jobs(ci);
		assertThat(jobs).as("ci.yml's jobs").hasSize(1);
		Map<String, Object> job = jobs.get(0);
		assertThat(YamlTree.text(job, "runs-on")).as("ci.yml runs on").startsWith("ubuntu");
		List<String> scripts = runScripts(job);
		assertThat(scripts.stream().filter(s -> s.contains("mvn")))
			.as("ci.yml's Maven steps: exactly the README's test command")
			.containsExactly(readmeTestCommand());
		Map<String, Object> java = action(job, "actions/setup-java");
		assertThat(YamlTree.text(java, "java-version")).as("ci.yml's Java").isEqualTo("17");
		assertThat(YamlTree.text(java, "cache")).as("ci.yml's dependency cache").isEqualTo("maven");
		// the PostgreSQL the suite expects (README: 127.0.0.1:5432, user postgres, trust, database test)
		Map<String, Object> postgres = YamlTree.map(YamlTree.map(job, "services"), "postgres");
		assertThat(YamlTree.text(postgres, "image")).startsWith("postgres:");
		assertThat(YamlTree.map(postgres, "env")).containsEntry("POSTGRES_HOST_AUTH_METHOD", "trust")
			.containsEntry("POSTGRES_DB", "test")
			.doesNotContainKey("POSTGRES_USER");
		assertThat(YamlTree.list(postgres, "ports")).as("PostgreSQL on the runner's 5432").contains("5432:5432");
		// and the packages .ci/run installs
		Set<String> installed = new HashSet<>();
		scripts.forEach(script -> installed.addAll(aptInstalls(script)));
		assertThat(installed).as("packages ci.yml installs")
			.containsAll(aptInstalls(readString(ROOT.resolve(".ci/run"))));
	}

	@Test
	void mlPipelineRunsOnlyTheLaunchersSubcommandsAndAlwaysStopsThePlatform() {
		Map<String, Object> pipeline = YamlTree.read(ROOT.resolve(".github/workflows/ml-pipeline.yml"));
		// YAML 1.1 reads the key 'on' as true
		Map<String, Object> on = YamlTree.asMap(pipeline.containsKey("on") ? pipeline.get("on") : pipeline.get(true),
				"on");
		assertThat(YamlTree.list(YamlTree.map(on, "push"), "paths")).as("ml-pipeline.yml runs on pushes touching")
			.containsExactlyInAnyOrder("examples/**", "datasets/**");
		assertThat(YamlTree.map(YamlTree.map(on, "workflow_dispatch"), "inputs")).as("its manual inputs")
			.containsKey("spec");
		List<Map<String, Object>> jobs = jobs(pipeline);
		assertThat(jobs).as("ml-pipeline.yml's jobs").hasSize(1);
		Map<String, Object> job = jobs.get(0);
		// only Java and the launcher
		assertThat(steps(job).stream().filter(s -> s.containsKey("uses")).map(s -> actionName(s.get("uses"))))
			.as("the actions ml-pipeline.yml uses")
			.containsOnly("actions/checkout", "actions/setup-java", "actions/upload-artifact");
		assertThat(YamlTree.text(action(job, "actions/setup-java"), "java-version")).isEqualTo("17");
		// every ./flywheel subcommand it runs is one the launcher has
		Set<String> available = new HashSet<>(LAUNCHER.subcommands());
		available.retainAll(LAUNCHER.usage());
		List<String> used = new ArrayList<>();
		for (String script : runScripts(job)) {
			Matcher command = Pattern.compile("\\./flywheel\\s+([^\\n;|&]*)").matcher(script);
			while (command.find()) {
				String invocation = command.group(1).strip().replaceAll("\\s+", " ");
				String subcommand = invocation.split(" ")[0];
				used.add(subcommand);
				assertThat(available).as("./flywheel " + invocation + " in ml-pipeline.yml").contains(subcommand);
				if (subcommand.equals("ab-test")) {
					assertThat(invocation.replace("\"$model\"", "MODEL")).as("./flywheel " + invocation)
						.matches(AB_TEST_SYNTAX);
				}
			}
		}
		assertThat(used).as("the launcher subcommands ml-pipeline.yml runs, in order")
			.containsSubsequence("up", "train", "ab-test", "ab-test", "down");
		// './flywheel down' ends every run; the logs are kept when one fails
		List<Map<String, Object>> steps = steps(job);
		Map<String, Object> last = steps.stream()
			.filter(s -> String.valueOf(s.get("run")).contains("./flywheel"))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(String.valueOf(last.get("run")).strip()).as("the last launcher step").isEqualTo("./flywheel down");
		assertThat(String.valueOf(last.get("if"))).as("when it runs").isEqualTo("always()");
		Map<String, Object> logs = action(job, "actions/upload-artifact");
		assertThat(YamlTree.text(logs, "path")).as("the artifact kept").contains("FLYWHEEL_HOME").endsWith("logs/");
		assertThat(steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/upload-artifact")))
			.as("the artifact step runs on failure only")
			.allMatch(s -> "failure()".equals(s.get("if")));
	}

	// reading the repository

	private record Pom(String artifactId, String version) {

		String jar() {
			return artifactId + "/target/" + artifactId + "-" + version + ".jar";
		}

	}

	private static Pom pom(String module) {
		try {
			Element project = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(ROOT.resolve(module).resolve("pom.xml").toFile())
				.getDocumentElement();
			String version = text(project, "version").orElseGet(() -> child(project, "parent")
				.flatMap(parent -> text(parent, "version"))
				.orElseThrow(() -> new AssertionError(module + "/pom.xml has no version, nor its parent")));
			String artifactId = text(project, "artifactId").orElseThrow();
			assertThat(artifactId).as(module + "'s artifactId: the jar's path assumes the module directory")
				.isEqualTo(module);
			return new Pom(artifactId, version);
		}
		catch (Exception ex) {
			throw new AssertionError("Cannot read " + module + "/pom.xml", ex);
		}
	}

	private static Optional<Element> child(Element element, String name) {
		for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return Optional.of(child);
			}
		}
		return Optional.empty();
	}

	private static Optional<String> text(Element element, String name) {
		return child(element, name).map(child -> child.getTextContent().strip());
	}

	/** The compose service built from {@code module}'s Dockerfile. */
	private static String serviceOf(String module) {
		return COMPOSE.builds()
			.entrySet()
			.stream()
			.filter(e -> e.getValue().module().equals(module))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError("compose builds no image of " + module));
	}

	/** {@code server.port} of the module's {@code application.yaml}. */
	private static int serverPort(String module) {
		Path resources = ROOT.resolve(module).resolve("src/main/resources");
		Path yaml = Files.exists(resources.resolve("application.yaml")) ? resources.resolve("application.yaml")
				: resources.resolve("application.yml");
		return Integer.parseInt(YamlTree.text(YamlTree.map(YamlTree.read(yaml), "server"), "port"));
	}

	/** The port a compose service listens on: its module's for a built service, else the one it publishes. */
	private static int listeningPort(String service) {
		Build build = COMPOSE.builds().get(service);
		if (build != null) {
			return serverPort(build.module());
		}
		return single(COMPOSE.containerPorts(service), service + "'s ports");
	}

	private static int healthCheckPort(Dockerfile dockerfile) {
		String check = String.join(" ", dockerfile.arguments("HEALTHCHECK"));
		Matcher port = HEALTH_CHECK_PORT.matcher(check);
		if (!port.find()) {
			throw new AssertionError(dockerfile.file() + " has no health check on /actuator/health/readiness");
		}
		return Integer.parseInt(port.group(1) != null ? port.group(1) : port.group(2));
	}

	/** The COPY of {@code module}'s packaged jar, if the Dockerfile has one. */
	private static Optional<Copy> copyOf(Dockerfile dockerfile, String module) {
		return dockerfile.copies()
			.stream()
			.filter(c -> c.sources().stream().anyMatch(s -> s.startsWith(module + "/target/") && s.endsWith(".jar")))
			.findFirst();
	}

	/** The repository file that the image holds at {@code inImage}, through the COPY whose destination holds it. */
	private static Optional<Path> repositoryFileAt(List<Copy> copies, Path inImage) {
		for (Copy copy : copies) {
			Path destination = Path.of(copy.destination());
			if (copy.sources().size() == 1 && copy.destination().endsWith("/") && inImage.startsWith(destination)) {
				return Optional.of(ROOT.resolve(copy.sources().get(0)).resolve(destination.relativize(inImage)));
			}
		}
		return Optional.empty();
	}

	/**
	 * The Spring environment-variable form of a property: dots to underscores, dashes dropped, upper case
	 * ({@code flywheel.monitoring.retraining.training-jar} is {@code FLYWHEEL_MONITORING_RETRAINING_TRAININGJAR}).
	 */
	private static String environmentName(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

	/** The host directory that compose mounts at Grafana's {@code /etc/grafana/provisioning}. */
	private static Path provisioning(List<Mount> mounts) {
		return mounts.stream()
			.filter(m -> m.target().equals("/etc/grafana/provisioning"))
			.map(Mount::source)
			.findFirst()
			.orElseThrow(() -> new AssertionError("compose mounts nothing at /etc/grafana/provisioning"));
	}

	private static List<Path> yamlFiles(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot list " + directory, ex);
		}
	}

	private static List<Path> filesUnder(Path path) {
		try (Stream<Path> files = Files.walk(path)) {
			return files.filter(Files::isRegularFile).toList();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot list " + path, ex);
		}
	}

	/** The README's test command: the line starting with {@code mvn} in its first bash block, comment left off. */
	private static String readmeTestCommand() {
		String readme = readString(ROOT.resolve("README.md"));
		Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
		assertThat(block.find()).as("README.md has a bash block").isTrue();
		return Arrays.stream(block.group(1).split("\\n"))
			.filter(line -> line.startsWith("mvn"))
			.map(line -> line.replaceAll("\\s+#.*$", "").strip())
			.findFirst()
			.orElseThrow(() -> new AssertionError("README.md's first bash block has no mvn line"));
	}

	/** The packages an {@code apt-get install} in the script installs (options and redirections left out). */
	private static Set<String> aptInstalls(String script) {
		Set<String> packages = new TreeSet<>();
		Matcher install = Pattern.compile("apt-get install ([^\\n]*)").matcher(script);
		while (install.find()) {
			for (String word : install.group(1).split("\\s+")) {
				if (word.startsWith(">") || word.equals("||") || word.equals("&&") || word.equals("\\")) {
					break;
				}
				if (!word.startsWith("-") && !word.isEmpty()) {
					packages.add(word);
				}
			}
		}
		return packages;
	}

	private static List<Map<String, Object>> jobs(Map<String, Object> workflow) {
		return YamlTree.map(workflow, "jobs").values().stream().map(j -> YamlTree.asMap(j, "a job")).toList();
	}

	private static List<Map<String, Object>> steps(Map<String, Object> job) {
		return YamlTree.list(job, "steps").stream().map(s -> YamlTree.asMap(s, "a step")).toList();
	}

	private static List<String> runScripts(Map<String, Object> job) {
		return steps(job).stream().filter(s -> s.containsKey("run")).map(s -> String.valueOf(s.get("run")).strip())
			.toList();
	}

	/** The {@code with} of the job's step that uses {@code action} (any version). */
	private static Map<String, Object> action(Map<String, Object> job, String action) {
		return steps(job).stream()
			.filter(s -> action.equals(actionName(s.get("uses"))))
			.findFirst()
			.map(s -> YamlTree.optionalMap(s, "with"))
			.orElseThrow(() -> new AssertionError("no step uses " + action));
	}

	private static String actionName(Object uses) {
		String name = String.valueOf(uses);
		return name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
	}

	private static <T> T single(List<T> values, String what) {
		assertThat(values).as(what).hasSize(1);
		return values.get(0);
	}

	private static String readString(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot read " + file, ex);
		}
	}


}
