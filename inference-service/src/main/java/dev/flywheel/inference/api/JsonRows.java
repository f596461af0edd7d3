package dev.flywheel.inference.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.serving.RowsBuilder;

/**
 * Rows written as JSON the ways MLflow's and KServe's clients write them: records ({@code [{"f": v, ...}, ...]}),
 * positional lists in signature order ({@code [[v, ...], ...]}), columns ({@code {"f": [v, ...], ...}}), or a table
 * ({@code columns} + {@code data}). Every feature must be present, and nothing else.
 */
public final class JsonRows {

	private JsonRows() {
	}

	/** Records, positional lists or columns, whichever {@code node} holds. */
	public static Rows of(FeatureSchema schema, JsonNode node, String what) {
		if (node.isObject()) {
			return columns(schema, node, what);
		}
		JsonNode rows = RequestJson.array(node, what);
		if (!rows.isEmpty() && rows.get(0).isArray()) {
			return positional(schema, rows, what);
		}
		return records(schema, rows, what);
	}

	public static Rows records(FeatureSchema schema, JsonNode rows, String what) {
		RequestJson.array(rows, what);
		RowsBuilder builder = schema.rows(rows.size());
		for (int row = 0; row < rows.size(); row++) {
			JsonNode record = rows.get(row);
			if (!record.isObject()) {
				throw InferenceException.badInput(what + ": row " + row + " must be an object of feature values, not "
						+ abbreviate(record));
			}
			for (Map.Entry<String, JsonNode> field : record.properties()) {
				if (schema.position(field.getKey()) < 0) {
					throw InferenceException.badInput(what + ": row " + row + " has '" + field.getKey()
							+ "', which is not a feature of the model; its features are " + schema.featureNames());
				}
			}
			for (int feature = 0; feature < schema.featureNames().size(); feature++) {
				String name = schema.featureNames().get(feature);
				if (!record.has(name)) {
					throw InferenceException.badInput(what + ": row " + row + " is missing feature '" + name + "'");
				}
				builder.json(row, feature, record.get(name));
			}
		}
		return builder.build();
	}

	/** Rows as lists of values, in the order of {@code columns}. */
	public static Rows table(FeatureSchema schema, List<String> columns, JsonNode data, String what) {
		int[] features = positions(schema, columns, what);
		RequestJson.array(data, what + "'s 'data'");
		RowsBuilder builder = schema.rows(data.size());
		for (int row = 0; row < data.size(); row++) {
			JsonNode values = data.get(row);
			if (!values.isArray() || values.size() != columns.size()) {
				throw InferenceException.badInput(what + ": row " + row + " must be a list of " + columns.size()
						+ " values, one per column " + columns + ", not " + abbreviate(values));
			}
			for (int column = 0; column < columns.size(); column++) {
				builder.json(row, features[column], values.get(column));
			}
		}
		return builder.build();
	}

	private static Rows positional(FeatureSchema schema, JsonNode rows, String what) {
		return table(schema, schema.featureNames(), rows, what);
	}

	private static Rows columns(FeatureSchema schema, JsonNode columns, String what) {
		List<String> names = new ArrayList<>(columns.propertyNames());
		int[] features = positions(schema, names, what);
		int count = -1;
		for (String name : names) {
			JsonNode values = RequestJson.array(columns.get(name), what + ": column '" + name + "'");
			if (count >= 0 && values.size() != count) {
				throw InferenceException.badInput(what + ": columns disagree on the number of rows: '" + names.get(0)
						+ "' has " + count + ", '" + name + "' has " + values.size());
			}
			count = values.size();
		}
		RowsBuilder builder = schema.rows(Math.max(count, 0));
		for (int column = 0; column < names.size(); column++) {
			JsonNode values = columns.get(names.get(column));
			for (int row = 0; row < count; row++) {
				builder.json(row, features[column], values.get(row));
			}
		}
		return builder.build();
	}

	/** The feature position of each column; every feature exactly once. */
	public static int[] positions(FeatureSchema schema, List<String> columns, String what) {
		int[] positions = new int[columns.size()];
		for (int i = 0; i < columns.size(); i++) {
			positions[i] = schema.position(columns.get(i));
			if (positions[i] < 0) {
				throw InferenceException.badInput(what + ": column '" + columns.get(i)
						+ "' is not a feature of the model; its features are " + schema.featureNames());
			}
			if (columns.subList(0, i).contains(columns.get(i))) {
				throw InferenceException.badInput(what + ": column '" + columns.get(i) + "' appears twice");
			}
		}
		List<String> missing = schema.featureNames().stream().filter(name -> !columns.contains(name)).toList();
		if (!missing.isEmpty()) {
			throw InferenceException.badInput(what + " is missing feature" + (missing.size() > 1 ? "s " : " ")
					+ missing + "; the model's features are " + schema.featureNames());
		}
		return positions;
	}

	private static String abbreviate(JsonNode node) {
		String text = node.toString();
		return text.length() > 60 ? text.substring(0, 60) + "..." : text;
	}

}
