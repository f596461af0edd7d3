package dev.flywheel.platform.scaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two replicas of each Flywheel service on one machine, as a cluster runs them: every replica of a service on the same
 * PostgreSQL database (the registries also on one artifact directory), each service reached through a
 * {@link TcpBalancer} in front of its two replicas, which is what a Kubernetes Service gives them.
 */
final class Replicas implements AutoCloseable {

	static final String MODEL = "iris-species";

	final ServiceProcess[] registries = new ServiceProcess[2];

	final ServiceProcess[] monitorings = new ServiceProcess[2];

	final ServiceProcess[] inferences = new ServiceProcess[2];

	final ServiceProcess[] routers = new ServiceProcess[2];

	final TcpBalancer registry;

	final TcpBalancer monitoring;

	final TcpBalancer inference;

	final TcpBalancer router;

	private final List<AutoCloseable> closing = new ArrayList<>();

	/**
	 * Creates the replicas (nothing runs yet: {@link #start} starts them).
	 * @param databases the R2DBC URLs of the registry's, the router's and monitoring's databases
	 */
	Replicas(Path root, Path home, Map<String, String> databases) throws IOException {
		Path artifacts = Files.createDirectories(home.resolve("artifacts"));
		for (int i = 0; i < 2; i++) {
			registries[i] = new ServiceProcess("registry-" + (i + 1), jar(root, "model-registry"), List.of("-Xmx256m"),
					Map.of("spring.r2dbc.url", databases.get("registry"),
							"flywheel.registry.artifact-root", artifacts.toString(),
							"flywheel.registry.event-poll-interval", "200ms"),
					"/actuator/health/readiness", home.resolve("registry-" + (i + 1)));
		}
		registry = balancer(registries);
		int[] routerPorts = { Ports.free(), Ports.free() };
		String routerUrl;
		// monitoring must know the router's address before the routers exist: the balancer is made first
		router = new TcpBalancer(List.of(routerPorts[0], routerPorts[1]));
		closing.add(router);
		routerUrl = router.url();
		for (int i = 0; i < 2; i++) {
			monitorings[i] = new ServiceProcess("monitoring-" + (i + 1), jar(root, "monitoring"), List.of("-Xmx384m"),
					Map.of("spring.r2dbc.url", databases.get("monitoring"), "flywheel.registry.url", registry.url(),
							"flywheel.router.url", routerUrl,
							"flywheel.monitoring.retraining.training-jar", jar(root, "training-pipeline").toString()),
					"/actuator/health/readiness", home.resolve("monitoring-" + (i + 1)));
		}
		monitoring = balancer(monitorings);
		for (int i = 0; i < 2; i++) {
			Map<String, String> settings = new LinkedHashMap<>();
			settings.put("flywheel.registry.url", registry.url());
			settings.put("flywheel.inference.models", MODEL);
			settings.put("flywheel.monitoring.url", monitoring.url());
			settings.put("flywheel.registry.reconnect-delay", "200ms");
			settings.put("flywheel.registry.poll-interval", "2s");
			inferences[i] = new ServiceProcess("inference-" + (i + 1), jar(root, "inference-service"),
					List.of("-Xmx384m", "-XX:MaxDirectMemorySize=64m", "-Dorg.bytedeco.javacpp.maxbytes=128m",
							"-Dorg.bytedeco.javacpp.maxphysicalbytes=900m"),
					settings, "/v2/health/ready", home.resolve("inference-" + (i + 1)));
		}
		inference = balancer(inferences);
		for (int i = 0; i < 2; i++) {
			Map<String, String> settings = new LinkedHashMap<>();
			settings.put("spring.r2dbc.url", databases.get("router"));
			settings.put("flywheel.registry.url", registry.url());
			settings.put("flywheel.inference.url", inference.url());
			settings.put("flywheel.inference.models", MODEL);
			settings.put("flywheel.monitoring.url", monitoring.url());
			settings.put("flywheel.router.decision-interval", "1s");
			settings.put("flywheel.router.refresh-interval", "500ms");
			settings.put("flywheel.router.action-retry-interval", "500ms");
			routers[i] = new ServiceProcess("router-" + (i + 1), jar(root, "ab-router"), List.of("-Xmx256m"), settings,
					"/actuator/health/readiness", home.resolve("router-" + (i + 1)), routerPorts[i]);
		}
	}

	private TcpBalancer balancer(ServiceProcess[] replicas) throws IOException {
		TcpBalancer balancer = new TcpBalancer(List.of(replicas[0].port(), replicas[1].port()));
		closing.add(balancer);
		return balancer;
	}

	/** The executable jar a module built ({@code target/<module>-<version>.jar}). */
	static Path jar(Path root, String module) throws IOException {
		try (Stream<Path> files = Files.list(root.resolve(module).resolve("target"))) {
			return files.filter(file -> {
				String name = file.getFileName().toString();
				return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar")
						&& !name.endsWith("-sources.jar");
			}).findFirst().orElseThrow(() -> new IllegalStateException(module + " is not packaged: run 'mvn verify'"));
		}
	}

	/**
	 * Starts every replica, those sharing a database one after the other (the first migrates its schema), the rest
	 * side by side, and waits until all are ready. {@code whileStarting} runs once the registries are up (to train
	 * the models the inference replicas then serve).
	 */
	void start(Runnable whileRegistriesAreUp) throws InterruptedException {
		registries[0].launch().awaitReady();
		registries[1].launch();
		monitorings[0].launch();
		whileRegistriesAreUp.run();
		registries[1].awaitReady();
		monitorings[0].awaitReady();
		monitorings[1].launch();
		inferences[0].launch();
		inferences[1].launch();
		routers[0].launch().awaitReady();
		routers[1].launch();
		for (ServiceProcess replica : List.of(monitorings[1], inferences[0], inferences[1], routers[1])) {
			replica.awaitReady();
		}
	}

	@Override
	public void close() throws Exception {
		for (ServiceProcess[] service : List.of(routers, inferences, monitorings, registries)) {
			for (ServiceProcess replica : service) {
				if (replica != null) {
					replica.close();
				}
			}
		}
		for (AutoCloseable balancer : closing) {
			balancer.close();
		}
	}

}
