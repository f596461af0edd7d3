package dev.flywheel.training.dataset;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.flywheel.bundle.Signature;
import dev.flywheel.training.InvalidInputException;
import dev.flywheel.training.dataset.Dataset.Example;
import dev.flywheel.training.dataset.Dataset.Feature;
import dev.flywheel.training.dataset.Dataset.Kind;
import dev.flywheel.training.dataset.Dataset.Source;
import dev.flywheel.training.spec.TrainingSpec.DatasetSpec;

/**
 * Loads a CSV dataset (and, for a retraining, the labelled production data added to it) as the spec describes it.
 * A column is categorical when the spec says so or when most of its values are not numbers; in a numeric column a
 * value that is not a finite number, or a missing value, is an error naming the file, line and column. The label must
 * have at least two classes.
 */
public final class DatasetLoader {

	private DatasetLoader() {
	}

	public static Dataset load(DatasetSpec spec, Path feedback) {
		CsvTable base = CsvTable.read(spec.path());
		List<CsvTable> tables = new ArrayList<>(List.of(base));
		if (feedback != null) {
			tables.add(CsvTable.read(feedback));
		}
		List<String> featureNames = spec.features().isEmpty()
				? base.header().stream().filter(column -> !column.equals(spec.label())).toList() : spec.features();
		base.column(spec.label(), "label");
		for (String name : featureNames) {
			if (name.equals(spec.label())) {
				throw new InvalidInputException(base.path() + ": the label column '" + name
						+ "' cannot also be a feature");
			}
			for (CsvTable table : tables) {
				table.column(name, "feature");
			}
		}
		for (String name : spec.categorical()) {
			if (!featureNames.contains(name)) {
				throw new InvalidInputException(base.path() + ": categorical column '" + name
						+ "' is not one of the features " + featureNames);
			}
		}
		for (CsvTable table : tables) {
			table.column(spec.label(), "label");
		}

		List<Feature> features = new ArrayList<>();
		for (String name : featureNames) {
			boolean categorical = spec.categorical().contains(name) || !mostlyNumbers(tables, name);
			features.add(categorical ? new Feature(name, Kind.CATEGORICAL, vocabulary(tables, name))
					: new Feature(name, Kind.NUMERIC, null));
		}
		List<String> classes = vocabulary(tables, spec.label());
		if (classes.size() < 2) {
			throw new InvalidInputException(base.path() + ": the label '" + spec.label()
					+ "' has a single class " + classes + "; a classifier needs at least two");
		}
		return rows(tables, features, spec.label(), classes);
	}

	/**
	 * Loads {@code csv} as input for a model that already exists: its features and categories as the signature has
	 * them, its classes as the model knows them. A category or class the model never saw is an error naming the line.
	 */
	public static Dataset loadFor(Signature signature, Path csv, String label) {
		CsvTable table = CsvTable.read(csv);
		List<Feature> features = signature.inputs()
			.stream()
			.map(input -> input.type() == Signature.FeatureType.CATEGORY
					? new Feature(input.name(), Kind.CATEGORICAL, input.categories())
					: new Feature(input.name(), Kind.NUMERIC, null))
			.toList();
		table.column(label, "label");
		features.forEach(feature -> table.column(feature.name(), "feature"));
		return rows(List.of(table), features, label, signature.output().classes());
	}

	private static Dataset rows(List<CsvTable> tables, List<Feature> features, String label, List<String> classes) {
		Map<String, Integer> classIndex = indexOf(classes);
		List<Example> examples = new ArrayList<>();
		List<Source> sources = new ArrayList<>();
		for (int t = 0; t < tables.size(); t++) {
			CsvTable table = tables.get(t);
			int labelColumn = table.column(label, "label");
			int[] columns = features.stream().mapToInt(f -> table.column(f.name(), "feature")).toArray();
			List<Map<String, Integer>> categoryIndexes = features.stream().map(f -> indexOf(f.categories())).toList();
			for (CsvTable.Row row : table.rows()) {
				double[] values = new double[features.size()];
				for (int f = 0; f < features.size(); f++) {
					String raw = row.fields().get(columns[f]).trim();
					Feature feature = features.get(f);
					values[f] = feature.kind() == Kind.NUMERIC ? number(table, row, feature.name(), raw)
							: known(table, row, feature.name(), categoryIndexes.get(f), raw);
				}
				String value = row.fields().get(labelColumn).trim();
				examples.add(new Example(values, known(table, row, label, classIndex, value)));
			}
			sources.add(new Source(table.path().toString(), table.sha256(), table.rows().size(),
					t == 0 ? "base" : "feedback"));
		}
		return new Dataset(features, label, classes, examples, sources);
	}

	private static boolean mostlyNumbers(List<CsvTable> tables, String column) {
		long numbers = 0;
		long values = 0;
		for (CsvTable table : tables) {
			int index = table.column(column, "feature");
			for (CsvTable.Row row : table.rows()) {
				String value = row.fields().get(index).trim();
				if (!value.isEmpty()) {
					values++;
					numbers += looksNumeric(value) ? 1 : 0;
				}
			}
		}
		return numbers * 2 > values;
	}

	/** The distinct values of a column, sorted as numbers when they all are, else as text. */
	private static List<String> vocabulary(List<CsvTable> tables, String column) {
		TreeSet<String> distinct = new TreeSet<>();
		for (CsvTable table : tables) {
			int index = table.column(column, "feature");
			for (CsvTable.Row row : table.rows()) {
				String value = row.fields().get(index).trim();
				if (!value.isEmpty()) {
					distinct.add(value);
				}
			}
		}
		boolean numeric = distinct.stream().allMatch(DatasetLoader::isFiniteNumber);
		Comparator<String> order = numeric ? Comparator.comparing(BigDecimal::new) : Comparator.naturalOrder();
		return distinct.stream().sorted(order).toList();
	}

	private static double number(CsvTable table, CsvTable.Row row, String column, String raw) {
		if (raw.isEmpty()) {
			throw new InvalidInputException(table.path() + ": line " + row.line() + ": column '" + column
					+ "' has no value");
		}
		double value;
		try {
			value = Double.parseDouble(raw);
		}
		catch (NumberFormatException ex) {
			throw new InvalidInputException(table.path() + ": line " + row.line() + ": column '" + column
					+ "' is numeric, but holds '" + raw + "'");
		}
		if (!Double.isFinite(value)) {
			throw new InvalidInputException(table.path() + ": line " + row.line() + ": column '" + column
					+ "' holds " + raw + "; NaN and infinite values cannot be trained on");
		}
		return value;
	}

	private static int known(CsvTable table, CsvTable.Row row, String column, Map<String, Integer> index,
			String raw) {
		if (raw.isEmpty()) {
			throw new InvalidInputException(table.path() + ": line " + row.line() + ": column '" + column
					+ "' has no value");
		}
		Integer position = index.get(raw);
		if (position == null) {
			throw new InvalidInputException(table.path() + ": line " + row.line() + ": column '" + column + "' holds '"
					+ raw + "', which the model does not know; it knows " + index.keySet());
		}
		return position;
	}

	/** A number, finite or not: NaN and Infinity make a numeric column, and an error where they stand. */
	private static boolean looksNumeric(String value) {
		try {
			Double.parseDouble(value);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private static boolean isFiniteNumber(String value) {
		return looksNumeric(value) && Double.isFinite(Double.parseDouble(value));
	}

	private static Map<String, Integer> indexOf(List<String> values) {
		return values.stream().collect(Collectors.toMap(Function.identity(), values::indexOf));
	}

}
