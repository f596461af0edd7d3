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
		Path strict = specFor("iris.yaml", "iris-species");
		Files.writeString(strict, Files.readString(strict).replace("min: {accuracy: 0.90}",
				"min: {accuracy: 0.999, log_loss: 0.0}"));
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

	@Test
	@Order(5)
	void twoSeparateJvmsTrainBitIdenticalModels() throws Exception {
		Path spec = specFor("iris.yaml", "iris-twice");
		for (int jvm = 1; jvm <= 2; jvm++) {
			Process process = trainInOwnJvm(spec, work.resolve("jvm-" + jvm + ".log"));
			assertThat(process.waitFor()).as(Files.readString(work.resolve("jvm-" + jvm + ".log"))).isZero();
		}
		MlflowClient client = new MlflowClient(registry.baseUrl());
		ModelVersion first = client.getModelVersion("iris-twice", "1");
		ModelVersion second = client.getModelVersion("iris-twice", "2");
		assertThat(digest(second)).as("bundle_digest covers the parameters byte for byte").isEqualTo(digest(first));
		assertThat(first.getRunId()).isNotEqualTo(second.getRunId());
	}

	@Test
	@Order(6)
	void reproduceReportsAnExactReproductionAndWhatChangedWhenTheDataChanged() throws IOException {
		Path data = Files.copy(IRIS.getParent().resolve("../datasets/iris.csv").normalize(), work.resolve("iris.csv"));
		Path spec = Files.writeString(work.resolve("reproducible.yaml"), Files.readString(IRIS)
			.replace("model: iris-species", "model: iris-reproduced")
			.replace("path: ../datasets/iris.csv", "path: iris.csv"));
		Result trained = train(spec);
		assertThat(trained.exitCode()).as(trained.output() + trained.errors()).isZero();
		String runId = trained.output().replaceAll("(?s).*Run ([0-9a-f]{32}) .*", "$1");

		Result same = run("reproduce", runId, "--registry", registry.baseUrl());
		assertThat(same.exitCode()).as(same.output() + same.errors()).isZero();
		assertThat(same.output()).contains("bundle digest: same").contains("(bit-identical)")
			.contains("Reproduced exactly.");

		Files.writeString(data, Files.readString(data).replaceFirst("5\\.1,3\\.5,1\\.4,0\\.2", "5.1,3.5,1.4,0.9"));
		Result changed = run("reproduce", runId, "--registry", registry.baseUrl());
		assertThat(changed.exitCode()).as(changed.output() + changed.errors()).isEqualTo(1);
		assertThat(changed.output()).contains("dataset " + data + ": recorded ")
			.contains("bundle digest: recorded ")
			.containsPattern("parameters: [1-9][0-9]* of [0-9]+ differ, by at most")
			.contains("metric accuracy: recorded")
			.contains("The reproduction differs.");
	}

	@Test
	@Order(7)
	void aJobKilledWhileTrainingLeavesNoVersionBehind() throws Exception {
		Path log = work.resolve("killed.log");
		Process process = trainInOwnJvm(specFor("digits.yaml", "digits-killed"), log);
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
		while (!Files.readString(log).contains("epoch 1/") && System.nanoTime() < deadline && process.isAlive()) {
			Thread.sleep(50);
		}
		assertThat(Files.readString(log)).as("training had started").contains("epoch 1/");
		process.destroyForcibly().waitFor();

		MlflowClient client = new MlflowClient(registry.baseUrl());
		assertThat(client.searchModelVersions("name = 'digits-killed'").getItems()).isEmpty();
		String experimentId = client.getExperimentByName("digits-killed").orElseThrow().getExperimentId();
		assertThat(client.searchRuns(List.of(experimentId), "")).singleElement()
			.satisfies(info -> assertThat(info.getStatus().name()).isNotEqualTo("FINISHED"));
	}

	@Test
	@Order(8)
	void evaluateScoresTheChampionOnLabelledRowsAndNamesUnknownClasses() throws IOException {
		Path iris = IRIS.getParent().resolve("../datasets/iris.csv").normalize();
		Result scored = run("evaluate", "--model", "iris-species", "--data", iris.toString(), "--label", "species",
				"--registry", registry.baseUrl());
		assertThat(scored.exitCode()).as(scored.output() + scored.errors()).isZero();
		assertThat(scored.output()).contains("iris-species version champion on " + iris + " (150 rows)")
			.containsPattern("accuracy +0\\.9[0-9]{3}")
			.contains("class setosa");

		Path unknown = Files.writeString(work.resolve("orchids.csv"),
				"sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,orchid\n");
		Result refused = run("evaluate", "--model", "iris-species", "--data", unknown.toString(), "--label", "species",
				"--registry", registry.baseUrl());
		assertThat(refused.exitCode()).isEqualTo(TrainingCli.BAD_INPUT);
		assertThat(refused.errors()).contains("line 2: column 'species' holds 'orchid', which the model does not know");
	}

	@Test
	@Order(9)
	void aRefusedUploadLeavesNoVersionAndMarksTheRunFailed() throws Exception {
		Path spec = specFor("iris.yaml", "iris-refused");
		try (RegistryProcess small = RegistryProcess.start(Files.createTempDirectory("small-registry-"), Map.of(),
				"--flywheel.registry.max-artifact-size=1KB")) {
			Result result = run("train", "--spec", spec.toString(), "--registry", small.baseUrl());
			assertThat(result.exitCode()).as(result.output() + result.errors()).isEqualTo(TrainingCli.REGISTRY_FAILED);
			assertThat(result.errors()).contains("Uploading").contains("413");
			MlflowClient client = new MlflowClient(small.baseUrl());
			assertThat(client.searchModelVersions("name = 'iris-refused'").getItems()).isEmpty();
			String experimentId = client.getExperimentByName("iris-refused").orElseThrow().getExperimentId();
			assertThat(client.searchRuns(List.of(experimentId), "")).singleElement()
				.satisfies(info -> assertThat(info.getStatus().name()).isEqualTo("FAILED"));
		}
	}

	/** The example spec {@code example} as model {@code model}, its dataset path made absolute, in the work folder. */
	private Path specFor(String example, String model) throws IOException {
		Path source = IRIS.getParent().resolve(example);
		String text = Files.readString(source);
		String dataset = text.replaceAll("(?s).*path: (\\S+).*", "$1");
		return Files.writeString(work.resolve(model + ".yaml"), text
			.replaceFirst("model: \\S+", "model: " + model)
			.replace("path: " + dataset, "path: " + source.getParent().resolve(dataset).normalize()));
	}

	/** {@code train} in a JVM of its own, its output in {@code log}. */
	private Process trainInOwnJvm(Path spec, Path log) throws IOException {
		return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), TrainingCli.class.getName(), "train", "--spec", spec.toString(),
				"--registry", registry.baseUrl())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
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
