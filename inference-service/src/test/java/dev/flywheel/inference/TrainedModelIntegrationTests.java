package dev.flywheel.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.TestModels;
import dev.flywheel.registry.support.RegistryProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A model trained by the training pipeline (its packaged jar, run as users run it) and served by this service gives
 * the same outputs as DL4J's own {@code output()} on the same rows, to 1e-6: all 150 iris rows in one request, and
 * row by row.
 */
class TrainedModelIntegrationTests {

	private static final Path SPEC = Path.of("..", "examples", "iris.yaml").toAbsolutePath().normalize();

	private static final Path DATA = Path.of("..", "datasets", "iris.csv").toAbsolutePath().normalize();

	@TempDir
	static Path home;

	private static RegistryProcess registry;

	private static InferenceServer server;

	private static Bundle trained;

	@BeforeAll
	static void trainAndServe() throws Exception {
		registry = RegistryProcess.start(Files.createDirectories(home.resolve("registry")), Map.of());
		Path log = home.resolve("train.log");
		Process training = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", trainingJar().toString(), "train", "--spec", SPEC.toString(), "--registry",
				registry.baseUrl())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		training.getOutputStream().close();
		assertThat(training.waitFor(5, TimeUnit.MINUTES)).isTrue();
		assertThat(training.exitValue()).as(Files.readString(log)).isZero();
		trained = TestModels.client(registry.baseUrl()).fetch("iris-species", "champion", home.resolve("fetched"));
		server = InferenceServer.start(home.resolve("inference"), registry.baseUrl(),
				Map.of("flywheel.inference.models", "iris-species", "flywheel.monitoring.url", "http://127.0.0.1:9"))
			.awaitReady();
	}

	/**
	 * The packaged training job. The parallel build ({@code -T 2} in {@code .mvn/maven.config}) builds the training
	 * module beside this one (neither depends on the other), so its executable jar may not be written yet when this
	 * test starts: it waits for it, at most 10 minutes, until the jar opens as Spring Boot's executable jar (the plain
	 * jar that comes first at the same path has no {@code Start-Class}).
	 */
	private static Path trainingJar() {
		Path jar = Path.of(System.getProperty("training.jar"));
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
			.until(() -> isExecutable(jar));
		return jar;
	}

	private static boolean isExecutable(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
		}
	}

	@AfterAll
	static void stop() throws Exception {
		server.close();
		registry.close();
	}

	@Test
	void servedOutputsEqualDl4jOutputsOnEveryIrisRow() throws Exception {
		float[][] rows = irisRows();
		float[][] expected = TestModels.reference(trained, rows);
		List<String> classes = trained.signature().output().classes();

		JsonNode batch = infer(rows);
		assertThat(batch.get("outputs").get(0).get("shape").get(0).asInt()).isEqualTo(150);
		JsonNode labels = batch.get("outputs").get(0).get("data");
		JsonNode probabilities = batch.get("outputs").get(1).get("data");
		for (int row = 0; row < rows.length; row++) {
			int best = 0;
			for (int c = 0; c < classes.size(); c++) {
				assertThat(probabilities.get(row * classes.size() + c).floatValue()).as("row %d class %d", row, c)
					.isCloseTo(expected[row][c], within(1e-6f));
				best = expected[row][c] > expected[row][best] ? c : best;
			}
			assertThat(labels.get(row).asString()).isEqualTo(classes.get(best));
		}
		for (int row = 0; row < rows.length; row += 7) {
			JsonNode single = infer(new float[][] { rows[row] });
			for (int c = 0; c < classes.size(); c++) {
				assertThat(single.get("outputs").get(1).get("data").get(c).floatValue()).as("row %d alone", row)
					.isCloseTo(expected[row][c], within(1e-6f));
			}
		}
	}

	private static JsonNode infer(float[][] rows) {
		List<Map<String, Object>> inputs = new ArrayList<>();
		String[] names = { "sepal_length", "sepal_width", "petal_length", "petal_width" };
		for (int f = 0; f < names.length; f++) {
			double[] column = new double[rows.length];
			for (int row = 0; row < rows.length; row++) {
				column[row] = rows[row][f];
			}
			inputs.add(Map.of("name", names[f], "shape", List.of(rows.length), "datatype", "FP64", "data", column));
		}
		return server.client()
			.post()
			.uri("/v2/models/iris-species/infer")
			.bodyValue(Map.of("inputs", inputs))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static float[][] irisRows() throws Exception {
		List<String> lines = Files.readAllLines(DATA);
		List<String> header = List.of(lines.get(0).split(","));
		assertThat(header).startsWith("sepal_length", "sepal_width", "petal_length", "petal_width");
		float[][] rows = new float[lines.size() - 1][4];
		for (int i = 1; i < lines.size(); i++) {
			String[] cells = lines.get(i).split(",");
			for (int f = 0; f < 4; f++) {
				rows[i - 1][f] = Float.parseFloat(cells[f]);
			}
		}
		return rows;
	}

}
