package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flywheel.bundle.registry.RegistryClient;

/**
 * Two versions of a digits model trained on the real dataset by the packaged training job ({@code training.jar}, run
 * as users run it) and registered: first a deliberately weak one (an 8-unit hidden layer, 2 epochs, its gate lowered
 * so it registers), which as the model's first version becomes {@code champion}; then a good one (the example's
 * network, 20 epochs) that passes the example's gate and becomes {@code challenger}. Training is seeded and uses one
 * BLAS thread, so the same build trains the same networks: 0.68 against 0.97 held-out accuracy, 4 to 5 s each here.
 */
public final class DigitsModels {

	/** The model name {@code examples/digits.yaml} registers and the inference service serves. */
	public static final String MODEL = "digits";

	private static final String WEAK = """
			network:
			  hidden: [{units: 8, activation: relu, dropout: 0.0}]
			  l2: 0.0001
			training: {updater: adam, learning_rate: 0.005, epochs: 2, batch_size: 32,
			           early_stopping: {metric: validation_loss, patience: 15}}
			seed: 42
			gate:
			  min: {accuracy: 0.30}
			""";

	private static final String STRONG = """
			network:
			  hidden: [{units: 64, activation: relu, dropout: 0.1}]
			  l2: 0.0001
			training: {updater: adam, learning_rate: 0.005, epochs: 20, batch_size: 32,
			           early_stopping: {metric: validation_loss, patience: 15}}
			seed: 42
			gate:
			  min: {accuracy: 0.93}
			  max_drop_vs_champion: {accuracy: 0.01}
			""";

	private static final Pattern REGISTERED = Pattern.compile("^Model (\\S+) version (\\d+)", Pattern.MULTILINE);

	private DigitsModels() {
	}

	/**
	 * A registered version.
	 * @param version its number
	 * @param accuracy its held-out (test split) accuracy, as the bundle's metrics record it
	 * @param trainingTime how long the training job ran, JVM start included
	 */
	public record Version(String version, double accuracy, Duration trainingTime) {
	}

	/**
	 * The two versions of one model.
	 * @param weak the {@code champion}
	 * @param strong the {@code challenger}
	 */
	public record Trained(String model, Version weak, Version strong) {

		public Duration trainingTime() {
			return weak.trainingTime().plus(strong.trainingTime());
		}

	}

	/** Trains and registers the two versions of {@link #MODEL}; specs, logs and fetched bundles go to {@code work}. */
	public static Trained train(String registryUrl, Path work) {
		return train(registryUrl, MODEL, work);
	}

	/**
	 * Trains and registers the two versions of {@code model}, which must not have a champion yet (otherwise the weak
	 * version fails the gate against it); specs, logs and fetched bundles go to {@code work}.
	 */
	public static Trained train(String registryUrl, String model, Path work) {
		RegistryClient registry = new RegistryClient(URI.create(registryUrl), null, Duration.ofSeconds(30));
		try {
			Files.createDirectories(work);
			Version weak = trainOne(registryUrl, model, "weak", WEAK, work, registry);
			Version strong = trainOne(registryUrl, model, "strong", STRONG, work, registry);
			String champion = registry.find(model, "champion").map(RegistryClient.Version::version).orElse(null);
			if (!weak.version().equals(champion)) {
				throw new IllegalStateException("The weak version " + weak.version() + " of " + model
						+ " is not the champion (" + champion + "): did the model have versions before?");
			}
			String challenger = registry.find(model, "challenger").map(RegistryClient.Version::version).orElse(null);
			if (!strong.version().equals(challenger)) {
				registry.setAlias(model, "challenger", strong.version());
			}
			return new Trained(model, weak, strong);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The spec of one version: the dataset by its absolute path, then the network, training and gate. */
	static String spec(String model, String rest) {
		return "model: " + model + "\n" + """
				dataset:
				  path: %s
				  label: %s
				split: {test: 0.2, validation: 0.1, stratify: true}
				""".formatted(DigitsRows.DATASET.toAbsolutePath(), DigitsRows.LABEL) + rest;
	}

	private static Version trainOne(String registryUrl, String model, String name, String rest, Path work,
			RegistryClient registry) throws IOException, InterruptedException {
		String jar = System.getProperty("training.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException("training.jar is not built (" + jar + "): run through 'mvn verify'");
		}
		Path spec = Files.writeString(work.resolve(model + "-" + name + ".yaml"), spec(model, rest));
		Path log = work.resolve(model + "-" + name + ".log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-jar", jar, "train", "--spec", spec.toString(), "--registry", registryUrl)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("OMP_NUM_THREADS", "1");
		long started = System.nanoTime();
		Process training = builder.start();
		training.getOutputStream().close();
		if (!training.waitFor(5, TimeUnit.MINUTES)) {
			training.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			throw new IllegalStateException("Training the " + name + " " + model + " took over 5 minutes:\n" + read(log));
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		String output = read(log);
		if (training.exitValue() != 0) {
			throw new IllegalStateException("Training the " + name + " " + model + " exited " + training.exitValue()
					+ ":\n" + output);
		}
		Matcher registered = REGISTERED.matcher(output);
		if (!registered.find() || !registered.group(1).equals(model)) {
			throw new IllegalStateException("Training the " + name + " " + model + " named no version:\n" + output);
		}
		String version = registered.group(2);
		double accuracy = registry.fetch(model, version, work.resolve(model + "-" + name + "-bundle"))
			.metrics()
			.values()
			.get("accuracy");
		return new Version(version, accuracy, took);
	}

	private static String read(Path log) throws IOException {
		return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
	}

}
