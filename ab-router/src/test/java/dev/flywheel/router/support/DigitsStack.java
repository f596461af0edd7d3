package dev.flywheel.router.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.flywheel.registry.support.RegistryProcess;

/**
 * The real services behind the router's end-to-end test, each a separate JVM started from its packaged jar: a
 * registry of its own (H2 under {@code home/registry}), the two {@link DigitsModels} versions of {@code digits}
 * trained into it ({@code champion} weak, {@code challenger} strong), and the inference service serving both
 * ({@code home/inference}). Closing stops the inference service, then the registry.
 */
public final class DigitsStack implements AutoCloseable {

	private static DigitsStack shared;

	private final RegistryProcess registry;

	private final DigitsModels.Trained models;

	private final InferenceProcess inference;

	private final Timings timings;

	private DigitsStack(RegistryProcess registry, DigitsModels.Trained models, InferenceProcess inference,
			Timings timings) {
		this.registry = registry;
		this.models = models;
		this.inference = inference;
		this.timings = timings;
	}

	/**
	 * How long each step took.
	 * @param registry the registry's start, until ready
	 * @param training both training jobs
	 * @param inference the inference service's start, until both versions are loaded
	 */
	public record Timings(Duration registry, Duration training, Duration inference) {

		@Override
		public String toString() {
			return "registry start " + registry.toMillis() + " ms, training " + training.toMillis()
					+ " ms, inference start " + inference.toMillis() + " ms";
		}

	}

	/**
	 * Starts the registry, trains both versions and starts the inference service for {@code digits}, waiting until
	 * it is ready; whatever started is stopped again when a later step fails.
	 * @param inferenceProperties more settings for the inference service (see {@link InferenceProcess#launch})
	 */
	public static DigitsStack start(Path home, Map<String, String> inferenceProperties)
			throws IOException, InterruptedException {
		long started = System.nanoTime();
		RegistryProcess registry = RegistryProcess.start(Files.createDirectories(home.resolve("registry")), Map.of());
		Duration registryStart = since(started);
		try {
			long training = System.nanoTime();
			DigitsModels.Trained models = DigitsModels.train(registry.baseUrl(), home.resolve("training"));
			Duration trainingTime = since(training);
			long serving = System.nanoTime();
			InferenceProcess inference = InferenceProcess.start(home.resolve("inference"), registry.baseUrl(),
					DigitsModels.MODEL, inferenceProperties);
			return new DigitsStack(registry, models, inference,
					new Timings(registryStart, trainingTime, since(serving)));
		}
		catch (IOException | InterruptedException | RuntimeException | Error ex) {
			registry.close();
			throw ex;
		}
	}

	/**
	 * The stack the test classes of this JVM share, started on first use (it takes half a minute) and stopped when the
	 * JVM ends. Its users must leave it usable by the others: they name versions by number where another class may
	 * have moved the aliases, and a registry they stop they start again.
	 */
	public static synchronized DigitsStack shared() throws IOException, InterruptedException {
		if (shared == null) {
			Path home = Files.createTempDirectory("digits-stack");
			DigitsStack stack = start(home, Map.of());
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					stack.close();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				org.springframework.util.FileSystemUtils.deleteRecursively(home.toFile());
			}, "digits-stack-stop"));
			shared = stack;
		}
		return shared;
	}

	public RegistryProcess registry() {
		return registry;
	}

	public String registryUrl() {
		return registry.baseUrl();
	}

	public DigitsModels.Trained models() {
		return models;
	}

	public InferenceProcess inference() {
		return inference;
	}

	public InferenceClient inferenceClient() {
		return new InferenceClient(inference.baseUrl());
	}

	public Timings timings() {
		return timings;
	}

	private static Duration since(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime);
	}

	@Override
	public void close() throws InterruptedException {
		try {
			inference.close();
		}
		finally {
			registry.close();
		}
	}

}
