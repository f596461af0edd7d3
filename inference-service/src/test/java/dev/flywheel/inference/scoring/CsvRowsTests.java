package dev.flywheel.inference.scoring;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CsvRowsTests {

	private static final FeatureSchema IRIS = new FeatureSchema(TestModels.IRIS);

	private static final FeatureSchema MIXED = new FeatureSchema(TestModels.MIXED);

	@Test
	void splitsRecordsOnLfCrLfAndCr() {
		List<List<String>> expected = List.of(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
		assertThat(CsvRows.parse("a,b\n1,2\n3,4\n")).isEqualTo(expected);
		assertThat(CsvRows.parse("a,b\r\n1,2\r\n3,4\r\n")).isEqualTo(expected);
		assertThat(CsvRows.parse("a,b\r1,2\r3,4")).isEqualTo(expected);
		assertThat(CsvRows.parse("a,b\n1,2\r\n3,4")).isEqualTo(expected);
	}

	@Test
	void aByteOrderMarkBeforeTheHeaderIsIgnored() {
		Rows rows = rows(IRIS, "\uFEFFsepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");
		assertThat(rows.count()).isEqualTo(1);
		assertThat(rows.encoded()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
	}

	@Test
	void skipsBlankLines() {
		assertThat(CsvRows.parse("\r\na,b\r\n\r\n1,2\n\n")).isEqualTo(List.of(List.of("a", "b"), List.of("1", "2")));
		assertThat(CsvRows.parse("")).isEmpty();
		assertThat(CsvRows.parse("\r\n\n")).isEmpty();
	}

	@Test
	void quotedCellsHoldCommasQuotesAndLineBreaks() {
		assertThat(CsvRows.parse("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"x\ny\"\r\n"))
			.isEqualTo(List.of(List.of("a,b", "say \"hi\"", "two\r\nlines", "x\ny")));
	}

	@Test
	void keepsEmptyCells() {
		assertThat(CsvRows.parse("a,,\"\"\r\n,\r\n\"\"\n")).isEqualTo(List.of(List.of("a", "", ""), List.of("", ""),
				List.of("")));
	}

	@Test
	void refusesABodyEndingInsideAQuotedCell() {
		assertThatExceptionOfType(InferenceException.class).isThrownBy(() -> CsvRows.parse("a,\"b\r\n1,2\r\n"))
			.withMessageContaining("quoted")
			.satisfies(ex -> assertThat(ex.status().value()).isEqualTo(400));
	}

	@Test
	void headerNamesTheFeaturesInAnyOrder() {
		Rows rows = rows(IRIS, "petal_width, \"sepal_length\" ,sepal_width,petal_length\r\n0.2,5.1,3.5,1.4\r\n2.3, 6.7 ,3.0,5.2\r\n");
		assertThat(rows.count()).isEqualTo(2);
		assertThat(rows.encoded()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f);
	}

	@Test
	void categoriesAreOneHotEncoded() {
		Rows rows = rows(MIXED, "garden,size\n\"wisley\",7.5\nkew,4.5\n");
		assertThat(rows.encoded()).containsExactly(7.5f, 0, 1, 4.5f, 1, 0);
	}

	@Test
	void headerWithoutRowsHoldsNoRows() {
		assertThat(rows(IRIS, "sepal_length,sepal_width,petal_length,petal_width\r\n").count()).isZero();
	}

	@Test
	void refusesWhatDoesNotFitTheModelNamingIt() {
		assertRefused(IRIS, "", "empty");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n", "petal_width");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,petal_width,colour\n5.1,3.5,1.4,0.2,1\n", "'colour'");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,sepal_length\n5.1,3.5,1.4,5.1\n",
				"'sepal_length'");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n5.1,3.5,1.4\n",
				"CSV line 3", "3 cells", "4");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,petal_width\n5.1,wide,1.4,0.2\n", "sepal_width",
				"'wide'");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,,0.2\n", "petal_length",
				"no value");
		assertRefused(IRIS, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,NaN,0.2\n", "petal_length",
				"finite");
		assertRefused(MIXED, "size,garden\n4.5,kensington\n", "garden", "'kensington'", "kew");
	}

	private static Rows rows(FeatureSchema schema, String csv) {
		return CsvRows.of(schema, csv.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertRefused(FeatureSchema schema, String csv, String... named) {
		assertThatExceptionOfType(InferenceException.class).as(csv)
			.isThrownBy(() -> rows(schema, csv))
			.satisfies(ex -> assertThat(ex.status().value()).isEqualTo(400))
			.satisfies(ex -> assertThat(ex.getMessage()).contains(named));
	}

}
