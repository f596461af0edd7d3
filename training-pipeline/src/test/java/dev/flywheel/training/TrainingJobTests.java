package dev.flywheel.training;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.training.spec.SpecReader;
import dev.flywheel.training.spec.TrainingSpec;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingJobTests {

	private static final Path IRIS = Path.of("..", "examples", "iris.yaml");

	@TempDir
	Path work;

	@Test
	void trainsTheIrisExampleToItsBar() {
		TrainingSpec spec = SpecReader.read(IRIS);
		TrainingJob.Candidate candidate = TrainingJob.train(spec, IRIS, work.resolve("bundle"), (m, e, t) -> {
		});
		Bundle bundle = Bundle.read(candidate.bundle().directory());
		assertThat(bundle.metrics().value("accuracy")).isGreaterThanOrEqualTo(0.93);
		assertThat(bundle.metrics().rows()).isEqualTo(30);
		assertThat(bundle.signature().inputs()).extracting(Signature -> Signature.name())
			.containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
		assertThat(bundle.signature().output().classes()).containsExactly("setosa", "versicolor", "virginica");
		assertThat(bundle.profile().numeric()).containsKeys("petal_length");
		assertThat(bundle.profile().rows()).isEqualTo(105);
		assertThat(bundle.lineage().datasets()).singleElement()
			.satisfies(d -> assertThat(d.rows()).isEqualTo(150));
		assertThat(bundle.lineage().runtime().blasThreads()).isEqualTo(1);
	}

	@Test
	void trainsTheDigitsExampleToItsBar() {
		Path digits = Path.of("..", "examples", "digits.yaml");
		TrainingSpec spec = SpecReader.read(digits);
		Bundle bundle = TrainingJob.train(spec, digits, work.resolve("digits"), (m, e, t) -> {
		}).bundle();
		assertThat(bundle.metrics().value("accuracy")).isGreaterThanOrEqualTo(0.95);
		assertThat(bundle.signature().output().classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8",
				"9");
		assertThat(bundle.signature().inputs()).hasSize(64);
	}

	@Test
	void theSameSpecAndSeedGiveTheSameDigest() {
		TrainingSpec spec = SpecReader.read(IRIS);
		Bundle first = TrainingJob.train(spec, IRIS, work.resolve("first"), (m, e, t) -> {
		}).bundle();
		Bundle second = TrainingJob.train(spec, IRIS, work.resolve("second"), (m, e, t) -> {
		}).bundle();
		assertThat(second.digest()).isEqualTo(first.digest());
	}

}
