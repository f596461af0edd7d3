package dev.flywheel.inference.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.registry.support.RegistryProcess;

/**
 * One registry and one inference service shared by the API test classes of a test run (they only read): model
 * {@code iris} with version 1 as champion and version 2 as challenger, and model {@code mixed} (a categorical feature)
 * with version 1 as champion. Started on first use, stopped when the JVM ends. On demand, a second service that is
 * never ready: it serves {@link #UNVERSIONED}, a registered model without versions.
 */
public final class ServingFixture {

	public static final String IRIS = "iris";

	public static final String MIXED = "mixed";

	/** A registered model without any version, so without a champion. */
	public static final String UNVERSIONED = "unversioned";

	private static ServingFixture shared;

	public final RegistryProcess registry;

	public final InferenceServer server;

	public final Bundle irisV1;

	public final Bundle irisV2;

	public final Bundle mixedV1;

	/** What DL4J computes for {@link TestModels#IRIS_ROWS} with iris version 1, and with version 2. */
	public final float[][] irisV1Outputs;

	public final float[][] irisV2Outputs;

	private final Path home;

	private InferenceServer unready;

	private ServingFixture(Path home, RegistryProcess registry, InferenceServer server, Bundle irisV1, Bundle irisV2,
			Bundle mixedV1) throws java.io.IOException {
		this.home = home;
		this.irisV1Outputs = TestModels.reference(irisV1, TestModels.IRIS_ROWS);
		this.irisV2Outputs = TestModels.reference(irisV2, TestModels.IRIS_ROWS);
		this.registry = registry;
		this.server = server;
		this.irisV1 = irisV1;
		this.irisV2 = irisV2;
		this.mixedV1 = mixedV1;
	}

	public static synchronized ServingFixture get() throws Exception {
		if (shared == null) {
			Path home = Files.createTempDirectory("flywheel-serving-");
			RegistryProcess registry = RegistryProcess.start(Files.createDirectories(home.resolve("registry-home")),
					Map.of());
			Path work = Files.createDirectories(home.resolve("bundles"));
			Bundle irisV1 = TestModels.iris(work.resolve("iris-1"), 1);
			Bundle irisV2 = TestModels.iris(work.resolve("iris-2"), 2);
			Bundle mixedV1 = TestModels.mixed(work.resolve("mixed-1"), 3);
			String url = registry.baseUrl();
			TestModels.setAlias(url, IRIS, "champion", TestModels.publish(url, IRIS, irisV1));
			TestModels.setAlias(url, IRIS, "challenger", TestModels.publish(url, IRIS, irisV2));
			TestModels.setAlias(url, MIXED, "champion", TestModels.publish(url, MIXED, mixedV1));
			InferenceServer server = InferenceServer.start(home.resolve("inference-home"), url,
					Map.of("flywheel.inference.models", IRIS + "," + MIXED, "flywheel.inference.limits.max-rows",
							"1000", "flywheel.inference.limits.max-request-size", "1MB",
							"flywheel.monitoring.url", "http://127.0.0.1:9"))
				.awaitReady();
			shared = new ServingFixture(home, registry, server, irisV1, irisV2, mixedV1);
			ServingFixture fixture = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				server.close();
				fixture.closeUnready();
				try {
					registry.close();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		return shared;
	}

	/**
	 * A service configured to serve only {@link #UNVERSIONED} from the same registry: live, never ready. Started on
	 * first use.
	 */
	public synchronized InferenceServer unready() throws Exception {
		if (unready == null) {
			TestModels.createModel(registry.baseUrl(), UNVERSIONED);
			unready = InferenceServer.start(Files.createDirectories(home.resolve("unready-home")), registry.baseUrl(),
					Map.of("flywheel.inference.models", UNVERSIONED, "flywheel.monitoring.url", "http://127.0.0.1:9"));
		}
		return unready;
	}

	private synchronized void closeUnready() {
		if (unready != null) {
			unready.close();
		}
	}

}
