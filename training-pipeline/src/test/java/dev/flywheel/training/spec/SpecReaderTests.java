package dev.flywheel.training.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.flywheel.training.InvalidInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecReaderTests {

	private static final String VALID = """
			model: iris-species
			dataset:
			  path: data/iris.csv
			  label: species
			  features: [sepal_length, petal_length]
			split: {test: 0.2, validation: 0.1, stratify: true}
			network:
			  hidden: [{units: 16, activation: relu, dropout: 0.1}]
			  l2: 0.0001
			training: {updater: adam, learning_rate: 0.01, epochs: 200, batch_size: 32,
			           early_stopping: {metric: validation_loss, patience: 20}}
			seed: 7
			gate:
			  min: {accuracy: 0.90}
			  max_drop_vs_champion: {accuracy: 0.01}
			registry: http://127.0.0.1:5000
			""";

	@TempDir
	Path work;

	@Test
	void readsEveryKeyOfTheDesignsExample() throws IOException {
		TrainingSpec spec = SpecReader.read(write(VALID));
		assertThat(spec.model()).isEqualTo("iris-species");
		assertThat(spec.dataset().path()).isEqualTo(work.resolve("data/iris.csv"));
		assertThat(spec.dataset().features()).containsExactly("sepal_length", "petal_length");
		assertThat(spec.split()).isEqualTo(new TrainingSpec.SplitSpec(0.2, 0.1, true));
		assertThat(spec.network().hidden()).containsExactly(new TrainingSpec.HiddenLayer(16, "relu", 0.1));
		assertThat(spec.training().earlyStopping()).isEqualTo(new TrainingSpec.EarlyStopping("validation_loss", 20));
		assertThat(spec.training().epochs()).isEqualTo(200);
		assertThat(spec.seed()).isEqualTo(7);
		assertThat(spec.gate().min()).containsEntry("accuracy", 0.90);
		assertThat(spec.gate().maxDropVsChampion()).containsEntry("accuracy", 0.01);
		assertThat(spec.registry()).hasToString("http://127.0.0.1:5000");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"unknown key|trainng: {epochs: 3}|trainng is not a known key",
			"wrong type|training: {epochs: many}|training.epochs must be a positive whole number, got text 'many'",
			"impossible value|training: {epochs: 0}|training.epochs must be a positive whole number",
			"negative rate|training: {learning_rate: -1}|training.learning_rate must be above 0",
			"unknown updater|training: {updater: magic}|training.updater must be one of",
			"unknown activation|network: {hidden: [{units: 4, activation: wiggle}]}|network.hidden[0].activation must be one of",
			"dropout of one|network: {hidden: [{units: 4, dropout: 1.0}]}|network.hidden[0].dropout must be at least 0 and below 1",
			"split leaves nothing|split: {test: 0.5, validation: 0.45}|must leave at least 10% of the rows for training",
			"gate not a number|gate: {min: {accuracy: high}}|gate.min.accuracy must be a finite number",
			"unknown stopping metric|training: {early_stopping: {metric: vibes}}|training.early_stopping.metric must be one of" })
	void namesTheKeyOfEachProblem(String description, String override, String message) throws IOException {
		String key = override.substring(0, override.indexOf(':'));
		String spec = VALID.lines()
			.filter(line -> !line.startsWith(key + ":") && !(key.equals("training") && line.startsWith("           ")))
			.reduce("", (a, b) -> a + b + "\n") + override + "\n";
		if (key.equals("network")) {
			spec = spec.replace("  hidden: [{units: 16, activation: relu, dropout: 0.1}]\n  l2: 0.0001\n", "");
		}
		if (key.equals("gate")) {
			spec = spec.replace("  min: {accuracy: 0.90}\n  max_drop_vs_champion: {accuracy: 0.01}\n", "");
		}
		if (key.equals("dataset")) {
			spec = spec.replace("  path: data/iris.csv\n", "");
		}
		Path file = write(spec);
		assertThatThrownBy(() -> SpecReader.read(file)).isInstanceOf(InvalidInputException.class)
			.hasMessageStartingWith(file.toString())
			.hasMessageContaining(message);
	}

	@Test
	void refusesWhatIsNotASpec() throws IOException {
		assertThatThrownBy(() -> SpecReader.read(work.resolve("missing.yaml"))).hasMessageContaining("no such spec file");
		assertThatThrownBy(() -> SpecReader.read(write("- just\n- a list\n"))).hasMessageContaining("YAML mapping");
		assertThatThrownBy(() -> SpecReader.read(write("model: [unclosed\n"))).hasMessageContaining("not valid YAML");
		assertThatThrownBy(() -> SpecReader.read(write("dataset: {path: x.csv, label: y}\n")))
			.hasMessageContaining("model is missing");
	}

	private Path write(String text) throws IOException {
		return Files.writeString(work.resolve("spec.yaml"), text);
	}

}
