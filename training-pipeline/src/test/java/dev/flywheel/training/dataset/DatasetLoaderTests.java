package dev.flywheel.training.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.flywheel.training.InvalidInputException;
import dev.flywheel.training.dataset.Dataset.Kind;
import dev.flywheel.training.spec.TrainingSpec.DatasetSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetLoaderTests {

	@TempDir
	Path work;

	@Test
	void infersTypesOneHotEncodesCategoriesAndSortsClasses() throws IOException {
		Path csv = write("data.csv", """
				size,colour,"note, quoted",label
				1.5,red,"a ""b"" c",10
				2.5,blue,x,2
				3.5,red,y,10
				""");
		Dataset dataset = DatasetLoader.load(new DatasetSpec(csv, "label", List.of(), List.of()), null);
		assertThat(dataset.features()).extracting(Dataset.Feature::name, Dataset.Feature::kind)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("size", Kind.NUMERIC),
					org.assertj.core.groups.Tuple.tuple("colour", Kind.CATEGORICAL),
					org.assertj.core.groups.Tuple.tuple("note, quoted", Kind.CATEGORICAL));
		assertThat(dataset.features().get(1).categories()).containsExactly("blue", "red");
		assertThat(dataset.classes()).as("numeric labels sort as numbers").containsExactly("2", "10");
		assertThat(dataset.examples()).hasSize(3);
		assertThat(dataset.inputWidth()).isEqualTo(1 + 2 + 3);
		assertThat(dataset.encode(dataset.examples().get(0))).containsExactly(1.5, 0, 1, 1, 0, 0);
		assertThat(dataset.examples().get(0).label()).isEqualTo(1);
		assertThat(dataset.sources()).singleElement()
			.satisfies(source -> assertThat(source.sha256()).hasSize(64).isEqualTo(dev.flywheel.training.Digests.file(csv)));
	}

	@Test
	void addsFeedbackRowsAndRecordsTheirSource() throws IOException {
		Path base = write("base.csv", "x,y\n1,a\n2,b\n");
		Path feedback = write("feedback.csv", "y,x,extra\nc,3,ignored\n");
		Dataset dataset = DatasetLoader.load(new DatasetSpec(base, "y", List.of("x"), List.of()), feedback);
		assertThat(dataset.examples()).hasSize(3);
		assertThat(dataset.classes()).containsExactly("a", "b", "c");
		assertThat(dataset.sources()).extracting(Dataset.Source::role).containsExactly("base", "feedback");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"empty file||the file is empty",
			"header only|a,b,label|has a header but no data rows",
			"no label column|a,b\\n1,2|the header has no label column 'label'",
			"ragged row|a,b,label\\n1,2,x\\n1,x|line 3 has 2 fields, but the header has 3",
			"text in a numeric column|a,b,label\\n1,2,x\\n3,4,y\\n5,oops,x|line 4: column 'b' is numeric, but holds 'oops'",
			"NaN value|a,b,label\\n1,2,x\\n3,NaN,y|line 3: column 'b' holds NaN",
			"infinite value|a,b,label\\n1,2,x\\n-Infinity,4,y|line 3: column 'a' holds -Infinity",
			"missing value|a,b,label\\n1,,x\\n3,4,y|line 2: column 'b' has no value",
			"single class|a,label\\n1,x\\n2,x|has a single class [x]",
			"unclosed quote|a,label\\n\"1,x|a quoted field is never closed" })
	void namesTheFileAndLineOfEachProblem(String description, String content, String message) throws IOException {
		Path csv = write("bad.csv", content == null ? "" : content.replace("\\n", "\n") + "\n");
		assertThatThrownBy(() -> DatasetLoader.load(new DatasetSpec(csv, "label", List.of(), List.of()), null))
			.isInstanceOf(InvalidInputException.class)
			.hasMessageStartingWith(csv.toString())
			.hasMessageContaining(message);
	}

	@Test
	void namesAMissingFileAndUnknownColumns() throws IOException {
		Path missing = work.resolve("nope.csv");
		assertThatThrownBy(() -> DatasetLoader.load(new DatasetSpec(missing, "y", List.of(), List.of()), null))
			.hasMessage(missing + ": no such dataset file");
		Path csv = write("ok.csv", "x,y\n1,a\n2,b\n");
		assertThatThrownBy(() -> DatasetLoader.load(new DatasetSpec(csv, "y", List.of("z"), List.of()), null))
			.hasMessageContaining("the header has no feature column 'z'");
		assertThatThrownBy(() -> DatasetLoader.load(new DatasetSpec(csv, "y", List.of("x"), List.of("w")), null))
			.hasMessageContaining("categorical column 'w' is not one of the features");
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(work.resolve(name), content);
	}

}
