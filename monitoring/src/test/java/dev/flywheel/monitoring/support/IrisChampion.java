package dev.flywheel.monitoring.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trains the champion of {@code iris-species} with the packaged training job ({@code training.jar}, set by the build)
 * from the iris dataset ({@code datasets.dir}), with a gate that lets any retrained version through: what the tests
 * using it look at is the loop, not the gate.
 */
public final class IrisChampion {

	private IrisChampion() {
	}

	/**
	 * @param network the spec's {@code network} value, e.g. {@code {hidden: [{units: 8, activation: relu}]}}
	 * @param training the spec's {@code training} value
	 * @return the iris dataset's path
	 */
	public static Path train(String registryUrl, Path work, String network, String training) throws Exception {
		Path iris = Path.of(System.getProperty("datasets.dir"), "iris.csv").toAbsolutePath();
		Path spec = work.resolve("specs").resolve("iris.yaml");
		Files.createDirectories(spec.getParent());
		Files.writeString(spec, """
				model: iris-species
				dataset: {path: %s, label: species}
				split: {test: 0.2, validation: 0.1, stratify: true}
				network: %s
				training: %s
				seed: 42
				gate: {min: {accuracy: 0.5}, max_drop_vs_champion: {accuracy: 1.0}}
				""".formatted(iris, network, training));
		Path log = work.resolve("champion.log");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", System.getProperty("training.jar"), "train", "--spec", spec.toString(), "--registry",
				registryUrl)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("training the champion").isTrue();
		assertThat(process.exitValue()).as(Files.readString(log)).isZero();
		return iris;
	}

}
