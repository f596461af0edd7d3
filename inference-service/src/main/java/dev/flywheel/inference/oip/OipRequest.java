package dev.flywheel.inference.oip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.flywheel.inference.api.RequestJson;
import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.serving.RowsBuilder;

/**
 * An Open Inference Protocol {@code $inference_request}, checked against a model's signature.
 * <p>
 * Rows come either as one input tensor per feature (named as the feature, shape {@code [n]} or {@code [n, 1]}, a
 * numeric datatype for numbers and {@code BYTES} for categories), which is what the model metadata declares, or, for
 * models whose features are all numbers, as one tensor named {@code input} of shape {@code [n, features]} in
 * signature order. Shapes must match their data exactly; nested or flat data are both accepted.
 */
record OipRequest(String id, List<Tensor> inputs, List<String> outputs, String variant) {

	/** The name of the single numeric matrix input. */
	static final String MATRIX_INPUT = "input";

	static final String LABEL = "label";

	static final String PROBABILITIES = "probabilities";

	static final String PREDICTIONS = "predictions";

	static final String PREDICTION_ID = "prediction_id";

	private static final Set<String> INTEGER_TYPES = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16",
			"UINT32", "UINT64");

	private static final Set<String> FLOAT_TYPES = Set.of("FP16", "BF16", "FP32", "FP64");

	private static final List<String> DATATYPES = List.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8",
			"INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES");

	record Tensor(String name, long[] shape, String datatype, List<JsonNode> data) {

		long rows() {
			return shape.length == 0 ? 1 : shape[0];
		}

	}

	/** Reads the structure of a request; what it means for a model is checked by {@link #rows}. */
	static OipRequest read(JsonNode body) {
		RequestJson.object(body, "The inference request");
		JsonNode idNode = body.get("id");
		if (idNode != null && !idNode.isString()) {
			throw InferenceException.badInput("The request 'id' must be a string, not " + idNode);
		}
		JsonNode inputs = RequestJson.array(body.get("inputs"), "The request's 'inputs'");
		if (inputs.isEmpty()) {
			throw InferenceException.badInput("The request's 'inputs' is empty: send at least one input tensor");
		}
		List<Tensor> tensors = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (JsonNode input : inputs) {
			Tensor tensor = tensor(input);
			if (!names.add(tensor.name())) {
				throw InferenceException.badInput("Input '" + tensor.name() + "' appears twice");
			}
			tensors.add(tensor);
		}
		List<String> outputs = new ArrayList<>();
		JsonNode requested = body.get("outputs");
		if (requested != null && !requested.isNull()) {
			for (JsonNode output : RequestJson.array(requested, "The request's 'outputs'")) {
				outputs.add(RequestJson.string(RequestJson.object(output, "Each requested output"), "name",
						"Each requested output"));
			}
		}
		JsonNode parameters = body.get("parameters");
		String variant = null;
		if (parameters != null && parameters.isObject() && parameters.has("variant")) {
			variant = parameters.get("variant").asString();
		}
		return new OipRequest(idNode == null ? null : idNode.asString(), tensors, outputs, variant);
	}

	/** The rows the inputs carry for a model with {@code schema}. */
	Rows rows(FeatureSchema schema) {
		checkOutputs(schema);
		boolean matrix = inputs.size() == 1 && inputs.get(0).name().equals(MATRIX_INPUT)
				&& schema.position(MATRIX_INPUT) < 0;
		return matrix ? matrixRows(schema, inputs.get(0)) : featureRows(schema);
	}

	/** The outputs the model gives, in the order the response lists them. */
	static List<String> outputsOf(FeatureSchema schema) {
		return schema.classes() == null ? List.of(PREDICTIONS, PREDICTION_ID) : List.of(LABEL, PROBABILITIES, PREDICTION_ID);
	}

	private void checkOutputs(FeatureSchema schema) {
		for (String output : outputs) {
			if (!outputsOf(schema).contains(output)) {
				throw InferenceException.badInput("Unknown output '" + output + "'; the model's outputs are "
						+ outputsOf(schema));
			}
		}
	}

	private Rows featureRows(FeatureSchema schema) {
		Map<String, Tensor> byName = new LinkedHashMap<>();
		for (Tensor tensor : inputs) {
			if (schema.position(tensor.name()) < 0) {
				throw InferenceException.badInput("Unknown input '" + tensor.name() + "'; the model's inputs are "
						+ schema.featureNames() + (schema.allNumeric() ? " (or a single '" + MATRIX_INPUT
								+ "' of shape [rows, " + schema.featureNames().size() + "])" : ""));
			}
			byName.put(tensor.name(), tensor);
		}
		List<String> missing = schema.featureNames().stream().filter(name -> !byName.containsKey(name)).toList();
		if (!missing.isEmpty()) {
			throw InferenceException.badInput("Missing input" + (missing.size() > 1 ? "s " : " ") + missing
					+ "; the model's inputs are " + schema.featureNames());
		}
		long rows = inputs.get(0).rows();
		for (Tensor tensor : inputs) {
			if (tensor.shape().length == 0 || tensor.shape().length > 2
					|| (tensor.shape().length == 2 && tensor.shape()[1] != 1)) {
				throw InferenceException.badInput("Input '" + tensor.name() + "' has shape "
						+ Arrays.toString(tensor.shape()) + "; a feature input has shape [rows] or [rows, 1]");
			}
			if (tensor.rows() != rows) {
				throw InferenceException.badInput("Inputs disagree on the number of rows: '" + inputs.get(0).name()
						+ "' has " + rows + ", '" + tensor.name() + "' has " + tensor.rows());
			}
		}
		RowsBuilder builder = schema.rows(rowCount(rows));
		for (Tensor tensor : inputs) {
			int feature = schema.position(tensor.name());
			checkDatatype(schema, feature, tensor);
			for (int row = 0; row < rows; row++) {
				builder.json(row, feature, tensor.data().get(row));
			}
		}
		return builder.build();
	}

	private static Rows matrixRows(FeatureSchema schema, Tensor tensor) {
		int features = schema.featureNames().size();
		if (!schema.allNumeric()) {
			throw InferenceException.badInput("Input '" + MATRIX_INPUT + "' carries a numeric matrix, but the model has"
					+ " categorical features; send one input per feature: " + schema.featureNames());
		}
		if (tensor.shape().length != 2 || tensor.shape()[1] != features) {
			throw InferenceException.badInput("Input '" + MATRIX_INPUT + "' has shape "
					+ Arrays.toString(tensor.shape()) + "; it must be [rows, " + features + "], the features "
					+ schema.featureNames() + " in this order");
		}
		if (!INTEGER_TYPES.contains(tensor.datatype()) && !FLOAT_TYPES.contains(tensor.datatype())) {
			throw InferenceException.badInput("Input '" + MATRIX_INPUT + "' has datatype " + tensor.datatype()
					+ "; the features are numbers: use FP32, FP64 or an integer type");
		}
		int rows = rowCount(tensor.rows());
		RowsBuilder builder = schema.rows(rows);
		for (int row = 0; row < rows; row++) {
			for (int feature = 0; feature < features; feature++) {
				builder.json(row, feature, tensor.data().get(row * features + feature));
			}
		}
		return builder.build();
	}

	private static void checkDatatype(FeatureSchema schema, int feature, Tensor tensor) {
		boolean numeric = schema.isNumeric(feature);
		String type = tensor.datatype();
		if (numeric && !INTEGER_TYPES.contains(type) && !FLOAT_TYPES.contains(type)) {
			throw InferenceException.badInput("Input '" + tensor.name() + "' has datatype " + type
					+ ", but the feature is a number: use FP32, FP64 or an integer type");
		}
		if (!numeric && !type.equals("BYTES")) {
			throw InferenceException.badInput("Input '" + tensor.name() + "' has datatype " + type
					+ ", but the feature is categorical: use BYTES, with one of "
					+ schema.inputs().get(feature).categories());
		}
	}

	private static int rowCount(long rows) {
		if (rows > Integer.MAX_VALUE) {
			throw InferenceException.badInput("The request holds " + rows + " rows, far over the limit");
		}
		return (int) rows;
	}

	private static Tensor tensor(JsonNode input) {
		RequestJson.object(input, "Each input tensor");
		String name = RequestJson.string(input, "name", "Each input tensor");
		String where = "Input '" + name + "'";
		String datatype = RequestJson.string(input, "datatype", where);
		if (!DATATYPES.contains(datatype)) {
			throw InferenceException.badInput(where + " has unknown datatype '" + datatype + "'; the datatypes are "
					+ DATATYPES);
		}
		JsonNode shapeNode = RequestJson.array(input.get("shape"), where + "'s 'shape'");
		long[] shape = new long[shapeNode.size()];
		long elements = 1;
		for (int i = 0; i < shape.length; i++) {
			JsonNode dimension = shapeNode.get(i);
			if (!dimension.isIntegralNumber() || dimension.bigIntegerValue().signum() < 0) {
				throw InferenceException.badInput(where + " has shape " + shapeNode
						+ "; dimensions must be non-negative integers");
			}
			if (!dimension.canConvertToLong()) {
				throw tooManyElements(where, shapeNode);
			}
			shape[i] = dimension.longValue();
			try {
				elements = Math.multiplyExact(elements, shape[i]);
			}
			catch (ArithmeticException ex) {
				throw tooManyElements(where, shapeNode);
			}
		}
		if (shape.length > 0 && shape[0] == 0) {
			throw InferenceException.badInput(where + " has shape " + shapeNode
					+ ": an empty batch; send at least one row");
		}
		List<JsonNode> data = new ArrayList<>();
		flatten(RequestJson.array(input.get("data"), where + "'s 'data'"), data);
		if (data.size() != elements) {
			throw InferenceException.badInput(where + " has shape " + shapeNode + " (" + elements
					+ " elements), but its data holds " + data.size());
		}
		for (int i = 0; i < data.size(); i++) {
			checkElement(where, datatype, i, data.get(i));
		}
		return new Tensor(name, shape, datatype, data);
	}

	private static InferenceException tooManyElements(String where, JsonNode shape) {
		return InferenceException.badInput(where + " has shape " + shape
				+ ", more elements than any request can hold");
	}

	private static void flatten(JsonNode node, List<JsonNode> into) {
		for (JsonNode element : node) {
			if (element.isArray()) {
				flatten(element, into);
			}
			else {
				into.add(element);
			}
		}
	}

	private static void checkElement(String where, String datatype, int index, JsonNode element) {
		boolean ok = switch (datatype) {
			case "BYTES" -> element.isString();
			case "BOOL" -> element.isBoolean();
			default -> INTEGER_TYPES.contains(datatype) ? element.isIntegralNumber() : element.isNumber();
		};
		if (!ok) {
			String expected = switch (datatype) {
				case "BYTES" -> "a string";
				case "BOOL" -> "true or false";
				default -> INTEGER_TYPES.contains(datatype) ? "an integer" : "a number";
			};
			throw InferenceException.badInput(where + " element " + index + " must be " + expected + " for datatype "
					+ datatype + ", but is " + (element.isString() ? "the string \"" + element.asString() + "\""
							: element.toString()));
		}
	}

}
