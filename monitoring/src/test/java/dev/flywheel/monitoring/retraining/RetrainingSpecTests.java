package dev.flywheel.monitoring.retraining;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetrainingSpecTests {

	private static final String CHAMPION = """
			model: iris-species
			dataset:
			  path: ../datasets/iris.csv
			  label: species
			  features: [sepal_length, sepal_width]
			split: {test: 0.2, validation: 0.1, stratify: true}
			seed: 42
			gate:
			  min: {accuracy: 0.9}
			registry: http://10.0.0.1:5000
			""";

	@Test
	void addsTheSnapshotAsFeedbackAndMakesTheDatasetPathAbsolute() {
		Snapshot snapshot = new Snapshot(Path.of("/home/flywheel/monitoring/snapshots/snapshot-ab.csv"), "ab", 120);

		Map<String, Object> spec = new Yaml().load(RetrainingSpec.of(CHAMPION, Path.of("/work/examples"), snapshot,
				"3"));

		assertThat(spec).containsEntry("model", "iris-species").containsEntry("seed", 42).doesNotContainKey("registry");
		@SuppressWarnings("unchecked")
		Map<String, Object> dataset = (Map<String, Object>) spec.get("dataset");
		assertThat(dataset).containsEntry("path", "/work/datasets/iris.csv").containsEntry("label", "species");
		assertThat(spec.get("feedback")).isEqualTo(Map.of("path", "/home/flywheel/monitoring/snapshots/snapshot-ab.csv",
				"parent_version", 3));
		assertThat(spec.get("gate")).isEqualTo(Map.of("min", Map.of("accuracy", 0.9)));
		assertThat(RetrainingSpec.label(CHAMPION)).isEqualTo("species");
	}

	@Test
	void refusesASpecWithoutADataset() {
		Snapshot snapshot = new Snapshot(Path.of("/s.csv"), "ab", 1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetrainingSpec.of("model: x\n", Path.of("/"), snapshot, "1"));
		assertThatIllegalArgumentException().isThrownBy(() -> RetrainingSpec.label("dataset: {path: a.csv}\n"));
	}

}
