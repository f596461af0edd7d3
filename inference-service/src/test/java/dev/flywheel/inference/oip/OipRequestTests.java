package dev.flywheel.inference.oip;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OipRequestTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final FeatureSchema IRIS = new FeatureSchema(TestModels.IRIS);

	private static final FeatureSchema MIXED = new FeatureSchema(TestModels.MIXED);

	private static final float[] TWO_ROWS = { 5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f };

	@Test
	void readsIdOutputsAndVariant() {
		OipRequest request = read("""
				{"id": "42", "parameters": {"variant": "B"}, "outputs": [{"name": "label"}],
				 "inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""");
		assertThat(request.id()).isEqualTo("42");
		assertThat(request.variant()).isEqualTo("B");
		assertThat(request.outputs()).containsExactly("label");
		assertThat(request.inputs()).hasSize(1);
		assertThat(request.inputs().get(0).shape()).containsExactly(1, 4);
	}

	@Test
	void matrixDataMayBeNestedOrFlat() {
		Rows flat = rows(IRIS, matrix("[5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]"));
		Rows nested = rows(IRIS, matrix("[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]"));
		assertThat(flat.count()).isEqualTo(2);
		assertThat(flat.encoded()).containsExactly(TWO_ROWS);
		assertThat(nested.encoded()).containsExactly(TWO_ROWS);
	}

	@Test
	void featureInputsMayBeColumnsOfShapeNOrNByOneInAnyOrder() {
		Rows vectors = rows(IRIS, """
				{"inputs": [{"name": "petal_width", "shape": [2], "datatype": "FP64", "data": [0.2, 2.3]},
				 {"name": "sepal_length", "shape": [2], "datatype": "FP32", "data": [5.1, 6.7]},
				 {"name": "sepal_width", "shape": [2], "datatype": "FP16", "data": [3.5, 3.0]},
				 {"name": "petal_length", "shape": [2], "datatype": "FP32", "data": [1.4, 5.2]}]}""");
		Rows columns = rows(IRIS, """
				{"inputs": [{"name": "sepal_length", "shape": [2, 1], "datatype": "FP32", "data": [[5.1], [6.7]]},
				 {"name": "sepal_width", "shape": [2, 1], "datatype": "FP32", "data": [3.5, 3.0]},
				 {"name": "petal_length", "shape": [2, 1], "datatype": "FP32", "data": [[1.4], [5.2]]},
				 {"name": "petal_width", "shape": [2, 1], "datatype": "FP32", "data": [0.2, 2.3]}]}""");
		assertThat(vectors.encoded()).containsExactly(TWO_ROWS);
		assertThat(columns.encoded()).containsExactly(TWO_ROWS);
	}

	@Test
	void categoricalFeatureComesAsBytes() {
		Rows rows = rows(MIXED, """
				{"inputs": [{"name": "size", "shape": [2], "datatype": "INT64", "data": [4, 8]},
				 {"name": "garden", "shape": [2], "datatype": "BYTES", "data": ["wisley", "kew"]}]}""");
		assertThat(rows.encoded()).containsExactly(4, 0, 1, 8, 1, 0);
	}

	@Test
	void refusesMalformedStructureNamingTheField() {
		assertUnreadable("[]", "object");
		assertUnreadable("{}", "'inputs'", "missing");
		assertUnreadable("{\"inputs\": []}", "'inputs'", "empty");
		assertUnreadable("{\"id\": 42, \"inputs\": [" + INPUT + "]}", "'id'");
		assertUnreadable("{\"inputs\": [" + INPUT + "], \"outputs\": [\"label\"]}", "output", "object");
		assertUnreadable("{\"inputs\": [" + INPUT + ", " + INPUT + "]}", "'input'", "twice");
		assertUnreadable("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "'input'",
				"'datatype'");
		assertUnreadable("{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
				"'input'", "'shape'");
	}

	@Test
	void refusesShapesThatCannotBe() {
		assertUnreadable(matrix("[1, 2, 3, 4]").replace("[2, 4]", "[-1, 4]"), "'input'", "non-negative");
		assertUnreadable(matrix("[1, 2, 3, 4]").replace("[2, 4]", "[1.5, 4]"), "'input'", "integers");
		assertUnreadable(matrix("[1, 2, 3, 4]").replace("[2, 4]", "[-36893488147419103232, 4]"), "non-negative");
		assertUnreadable(matrix("[1, 2, 3, 4]").replace("[2, 4]", "[4611686018427387904, 4]"), "'input'",
				"4611686018427387904");
		assertUnreadable(matrix("[1, 2, 3, 4]").replace("[2, 4]", "[18446744073709551615, 4]"), "'input'",
				"18446744073709551615");
		assertUnreadable(matrix("[]").replace("[2, 4]", "[0, 4]"), "'input'", "empty batch");
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7]"), "'input'", "8 elements", "7");
	}

	@Test
	void refusesTheCanonicalExampleOfTheSpecification() {
		assertUnreadable("""
				{"id": "42", "inputs": [{"name": "input0", "shape": [2, 2], "datatype": "UINT32", "data": [1, 2, 3, 4]},
				 {"name": "input1", "shape": [3], "datatype": "BOOL", "data": [true]}],
				 "outputs": [{"name": "output0"}]}""", "'input1'", "[3]", "holds 1");
	}

	@Test
	void refusesElementsThatDoNotFitTheirDatatype() {
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7, \"8\"]"), "'input'", "element 7", "number", "\"8\"");
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7, 8.5]").replace("FP32", "INT64"), "'input'", "integer", "8.5");
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7, null]"), "'input'", "null");
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7, 8]").replace("FP32", "BYTES"), "'input'", "string");
		assertUnreadable(matrix("[true, 2, 3, 4, 5, 6, 7, 8]").replace("FP32", "BOOL"), "'input'", "true or false");
		assertUnreadable(matrix("[1, 2, 3, 4, 5, 6, 7, 8]").replace("FP32", "float32"), "'input'", "'float32'");
	}

	@Test
	void refusesInputsThatDoNotFitTheModel() {
		assertRefused(IRIS, matrix("[1, 2, 3, 4, 5, 6]").replace("[2, 4]", "[2, 3]"), "'input'", "[rows, 4]");
		assertRefused(IRIS, matrix("[1, 2, 3, 4, 5, 6, 7, 8]").replace("\"input\"", "\"inputs\""), "'inputs'",
				"sepal_length");
		assertRefused(MIXED, matrix("[1, 2, 3, 4]").replace("[2, 4]", "[2, 2]"), "'input'", "categorical");
		assertRefused(IRIS, """
				{"inputs": [{"name": "sepal_length", "shape": [1], "datatype": "BOOL", "data": [true]},
				 {"name": "sepal_width", "shape": [1], "datatype": "FP32", "data": [3.5]},
				 {"name": "petal_length", "shape": [1], "datatype": "FP32", "data": [1.4]},
				 {"name": "petal_width", "shape": [1], "datatype": "FP32", "data": [0.2]}]}""", "'sepal_length'",
				"BOOL");
		assertRefused(MIXED, """
				{"inputs": [{"name": "size", "shape": [1], "datatype": "FP32", "data": [4.5]},
				 {"name": "garden", "shape": [1], "datatype": "INT32", "data": [0]}]}""", "'garden'", "BYTES");
		assertRefused(MIXED, """
				{"inputs": [{"name": "size", "shape": [1], "datatype": "FP32", "data": [4.5]},
				 {"name": "garden", "shape": [1, 1, 1], "datatype": "BYTES", "data": ["kew"]}]}""", "'garden'",
				"[1, 1, 1]");
		assertRefused(MIXED, """
				{"inputs": [{"name": "size", "shape": [2], "datatype": "FP32", "data": [4.5, 7.5]},
				 {"name": "garden", "shape": [1], "datatype": "BYTES", "data": ["kew"]}]}""", "'size'", "'garden'",
				"rows");
		assertRefused(MIXED, """
				{"inputs": [{"name": "size", "shape": [1], "datatype": "FP32", "data": [4.5]}]}""", "garden");
		assertRefused(IRIS, matrix("[1, 2, 3, 4, 5, 6, 7, 8]").replace("}]}", "}], \"outputs\": [{\"name\": \"logits\"}]}"),
				"'logits'", "[label, probabilities, prediction_id]");
	}

	private static final String INPUT = "{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}";

	private static String matrix(String data) {
		return "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": " + data
				+ "}]}";
	}

	private static OipRequest read(String json) {
		return OipRequest.read(JSON.readTree(json));
	}

	private static Rows rows(FeatureSchema schema, String json) {
		return read(json).rows(schema);
	}

	private static void assertUnreadable(String json, String... named) {
		assertThatExceptionOfType(InferenceException.class).as(json)
			.isThrownBy(() -> read(json))
			.satisfies(ex -> assertThat(ex.status().value()).isEqualTo(400))
			.satisfies(ex -> assertThat(ex.getMessage()).contains(named));
	}

	private static void assertRefused(FeatureSchema schema, String json, String... named) {
		OipRequest request = read(json);
		assertThatExceptionOfType(InferenceException.class).as(json)
			.isThrownBy(() -> request.rows(schema))
			.satisfies(ex -> assertThat(ex.status().value()).isEqualTo(400))
			.satisfies(ex -> assertThat(ex.getMessage()).contains(named));
	}

}
