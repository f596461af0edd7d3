package dev.flywheel.inference.serving;

import tools.jackson.databind.JsonNode;

import dev.flywheel.bundle.Signature.Input;

/**
 * Fills the encoded input of a batch of rows feature by feature, refusing any value that does not fit the signature
 * with a message that names the feature and the row. Every prediction API parses its own wire format into one.
 */
public final class RowsBuilder {

	private final FeatureSchema schema;

	private final int count;

	private final float[] encoded;

	private final Object[][] raw;

	RowsBuilder(FeatureSchema schema, int count) {
		this.schema = schema;
		this.count = count;
		this.encoded = new float[count * schema.width()];
		this.raw = new Object[count][schema.inputs().size()];
	}

	public int count() {
		return count;
	}

	/** Sets a feature from a JSON value: a number for a numeric feature, a string (or an integer) for a category. */
	public void json(int row, int feature, JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			throw InferenceException.badInput(where(row, feature) + " has no value; the model cannot take missing values");
		}
		if (schema.isNumeric(feature)) {
			if (!value.isNumber()) {
				throw InferenceException.badInput(where(row, feature) + " must be a number, but is "
						+ describe(value));
			}
			number(row, feature, value.doubleValue());
		}
		else if (value.isString() || value.isIntegralNumber() || value.isBoolean()) {
			category(row, feature, value.asString());
		}
		else {
			throw InferenceException.badInput(where(row, feature) + " must be one of the categories "
					+ input(feature).categories() + ", but is " + describe(value));
		}
	}

	/** Sets a feature from text, as a CSV cell holds it. */
	public void text(int row, int feature, String value) {
		String trimmed = value.trim();
		if (trimmed.isEmpty()) {
			throw InferenceException.badInput(where(row, feature) + " has no value; the model cannot take missing values");
		}
		if (!schema.isNumeric(feature)) {
			category(row, feature, trimmed);
			return;
		}
		double number;
		try {
			number = Double.parseDouble(trimmed);
		}
		catch (NumberFormatException ex) {
			throw InferenceException.badInput(where(row, feature) + " must be a number, but is '" + trimmed + "'");
		}
		number(row, feature, number);
	}

	public void number(int row, int feature, double value) {
		if (!schema.isNumeric(feature)) {
			throw InferenceException.badInput(where(row, feature) + " is categorical; send one of "
					+ input(feature).categories() + " as a string");
		}
		if (!Double.isFinite(value)) {
			throw InferenceException.badInput(where(row, feature) + " is " + value
					+ "; only finite numbers are accepted (no NaN or infinity)");
		}
		float single = (float) value;
		if (Float.isInfinite(single)) {
			throw InferenceException.badInput(where(row, feature) + " is " + value
					+ ", out of the range of the 32-bit floats the model computes with (at most " + Float.MAX_VALUE
					+ " in magnitude)");
		}
		encoded[row * schema.width() + schema.offset(feature)] = single;
		raw[row][feature] = value;
	}

	public void category(int row, int feature, String value) {
		Integer index = schema.categoryIndex(feature, value);
		if (index == null) {
			throw InferenceException.badInput(where(row, feature) + " is '" + value
					+ "', which the model does not know; it knows " + input(feature).categories());
		}
		encoded[row * schema.width() + schema.offset(feature) + index] = 1f;
		raw[row][feature] = value;
	}

	public Rows build() {
		return new Rows(schema, count, encoded, raw);
	}

	private Input input(int feature) {
		return schema.inputs().get(feature);
	}

	private String where(int row, int feature) {
		return "feature '" + input(feature).name() + "'" + (count > 1 ? " in row " + row : "");
	}

	private static String describe(JsonNode value) {
		if (value.isString()) {
			return "the string \"" + value.asString() + "\"";
		}
		if (value.isBoolean()) {
			return "the boolean " + value.asString();
		}
		return value.isContainer() ? "a JSON " + (value.isArray() ? "array" : "object") : value.toString();
	}

}
