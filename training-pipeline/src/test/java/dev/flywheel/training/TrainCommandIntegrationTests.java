package dev.flywheel.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

import dev.flywheel.registry.support.RegistryProcess;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code train} end to end against the real registry: logging, publishing, the gate and the aliases. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainCommandIntegrationTests {

	private static final Path IRIS = Path.of("..", "examples", "iris.yaml").toAbsolutePath().normalize();

	private static RegistryProcess registry;

	@TempDir
	Path work;

	@BeforeAll
	static void startRegistry() throws Exception {
		registry = RegistryProcess.start(Files.createTempDirectory("training-registry-"), Map.of());
	}

	@AfterAll
	static void stopRegistry() throws Exception {
		registry.close();
	}

	@Test
	@Order(1)
	void theFirstPassingVersionBecomesChampionAndTheRunIsLogged() {
		Result result = train(IRIS);
		assertThat(result.exitCode()).as(result.output() + result.errors()).isZero();
		assertThat(result.output()).contains("version 1 -> alias champion").contains("Gate: passed");
		MlflowClient client = new MlflowClient(registry.baseUrl());
		ModelVersion version = client.getModelVersion("iris-species", "1");
		assertThat(version.getAliasesList()).containsExactly("champion");
		assertThat(version.getTagsList()).anySatisfy(tag -> {
			assertThat(tag.getKey()).isEqualTo("flywheel.digest");
			assertThat(result.output()).contains("Bundle digest: " + tag.getValue());
		});
		Run run = client.getRun(version.getRunId());
		assertThat(run.getInfo().getStatus().name()).isEqualTo("FINISHED");
		assertThat(run.getData().getParamsList()).extracting(Param::getKey)
			.contains("model", "dataset.label", "training.learning_rate", "network.hidden.0.units", "seed");
		assertThat(run.getData().getTagsList()).extracting(RunTag::getKey)
			.contains("flywheel.dataset.digest", "flywheel.spec.digest", "mlflow.source.git.commit",
					"flywheel.code.version");
		assertThat(client.getMetricHistory(version.getRunId(), "validation_loss")).hasSizeGreaterThan(10);
		assertThat(run.getData().getMetricsList()).anySatisfy(m -> {
			assertThat(m.getKey()).isEqualTo("test_accuracy");
			assertThat(m.getValue()).isGreaterThanOrEqualTo(0.93);
		});
	}

	@Test
	@Order(2)
	void anEqualCandidatePassesAsChallengerWithTheSameDigest() {
		Result result = train(IRIS);
		assertThat(result.exitCode()).as(result.output() + result.errors()).isZero();
		assertThat(result.output()).contains("version 2 -> alias challenger").contains("Champion version 1");
		MlflowClient client = new MlflowClient(registry.baseUrl());
		assertThat(digest(client.getModelVersion("iris-species", "2")))
			.isEqualTo(digest(client.getModelVersion("iris-species", "1")));
	}

	@Test
	@Order(3)
	void aRejectedCandidateIsRegisteredWithItsVerdictAndNoAlias() throws IOException {
		Path strict = Files.writeString(work.resolve("strict.yaml"), Files.readString(IRIS)
			.replace("path: ../datasets/iris.csv", "path: " + IRIS.getParent().resolve("../datasets/iris.csv").normalize())
			.replace("min: {accuracy: 0.90}", "min: {accuracy: 0.999, log_loss: 0.0}"));
		Result result = train(strict);
		assertThat(result.exitCode()).as(result.output() + result.errors()).isEqualTo(TrainingCli.GATE_REJECTED);
		assertThat(result.output()).contains("version 3 (no alias)").contains("Gate: failed");
		ModelVersion rejected = new MlflowClient(registry.baseUrl()).getModelVersion("iris-species", "3");
		assertThat(rejected.getAliasesList()).isEmpty();
		assertThat(rejected.getTagsList()).anySatisfy(tag -> {
			assertThat(tag.getKey()).isEqualTo("flywheel.gate.reasons");
			assertThat(tag.getValue()).contains("accuracy").contains("below the minimum 0.9990");
		});
	}

	@Test
	@Order(4)
	void badInputExitsTwoAndAnUnreachableRegistryThree() throws IOException {
		Path broken = Files.writeString(work.resolve("broken.yaml"), "model: m\ndataset: {path: none.csv, label: y}\n"
				+ "training: {epochs: -3}\n");
		Result bad = train(broken);
		assertThat(bad.exitCode()).isEqualTo(TrainingCli.BAD_INPUT);
		assertThat(bad.errors()).contains("training.epochs must be a positive whole number");

		Result down = run("train", "--spec", IRIS.toString(), "--registry", "http://127.0.0.1:9");
		assertThat(down.exitCode()).as(down.output() + down.errors()).isEqualTo(TrainingCli.REGISTRY_FAILED);
		assertThat(down.errors()).contains("127.0.0.1:9");
	}

	private Result train(Path spec) {
		return run("train", "--spec", spec.toString(), "--registry", registry.baseUrl());
	}

	private static Result run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = TrainingCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), args);
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static String digest(ModelVersion version) {
		return version.getTagsList().stream().filter(t -> t.getKey().equals("flywheel.digest")).findFirst()
			.orElseThrow().getValue();
	}

	record Result(int exitCode, String output, String errors) {
	}


}
