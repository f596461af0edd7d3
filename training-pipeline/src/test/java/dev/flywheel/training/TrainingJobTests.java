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
	void aNewCsvNeedsOnlyASpecAndARetrainingRecordsItsFeedback() throws java.io.IOException {
		StringBuilder base = new StringBuilder("size,colour,weight,kind\n");
		StringBuilder feedback = new StringBuilder("kind,size,colour,weight\n");
		java.util.Random random = new java.util.Random(3);
		for (int i = 0; i < 240; i++) {
			boolean big = i % 2 == 0;
			String colour = big ? (i % 3 == 0 ? "red" : "green") : "blue";
			double size = (big ? 8 : 2) + random.nextGaussian();
			double weight = (big ? 5 : 1) + random.nextGaussian();
			String kind = big ? "large" : "small";
			if (i < 200) {
				base.append(String.format(java.util.Locale.ROOT, "%.3f,%s,%.3f,%s%n", size, colour, weight, kind));
			}
			else {
				feedback.append(String.format(java.util.Locale.ROOT, "%s,%.3f,%s,%.3f%n", kind, size, colour, weight));
			}
		}
		java.nio.file.Files.writeString(work.resolve("fruit.csv"), base);
		Path feedbackFile = java.nio.file.Files.writeString(work.resolve("labelled.csv"), feedback);
		Path specFile = java.nio.file.Files.writeString(work.resolve("fruit.yaml"), """
				model: fruit
				dataset: {path: fruit.csv, label: kind}
				network: {hidden: [{units: 8}]}
				training: {epochs: 30}
				gate: {min: {accuracy: 0.9}}
				feedback: {path: labelled.csv, parent_version: 4}
				""");
		Bundle bundle = TrainingJob.train(SpecReader.read(specFile), specFile, work.resolve("fruit-bundle"),
				(m, e, t) -> {
				}).bundle();
		assertThat(bundle.signature().inputs()).extracting(input -> input.name() + ":" + input.type())
			.containsExactly("size:DOUBLE", "colour:CATEGORY", "weight:DOUBLE");
		assertThat(bundle.signature().inputs().get(1).categories()).containsExactly("blue", "green", "red");
		assertThat(bundle.profile().categorical().get("colour").counts()).containsKeys("blue", "green", "red");
		assertThat(bundle.metrics().value("accuracy")).isGreaterThanOrEqualTo(0.9);
		assertThat(bundle.lineage().parentVersion()).isEqualTo("4");
		assertThat(bundle.lineage().feedbackSnapshotDigest())
			.isEqualTo(Digests.file(feedbackFile));
		assertThat(bundle.lineage().datasets()).extracting(Lineage -> Lineage.role() + ":" + Lineage.rows())
			.containsExactly("base:200", "feedback:40");
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
