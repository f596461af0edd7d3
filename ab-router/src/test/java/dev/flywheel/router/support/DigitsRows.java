package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rows of the real digits dataset ({@code datasets/digits.csv}: 64 pixel columns and the label {@code digit}), in
 * file order, as the inference service's plain API takes them: {@code {"instances": [row.features(), ...]}}.
 */
public final class DigitsRows {

	/** The dataset, found from the module's directory (where failsafe runs) or the repository's root. */
	public static final Path DATASET = locate(Path.of("datasets", "digits.csv"));

	public static final String LABEL = "digit";

	private DigitsRows() {
	}

	/**
	 * One labelled row.
	 * @param features every pixel column by name, in the file's order, values as numbers (whole ones as integers)
	 * @param label the true digit, as the service names classes ({@code "0"} to {@code "9"})
	 */
	public record Row(Map<String, Object> features, String label) {
	}

	/** Every row of the dataset, in file order. */
	public static List<Row> all() {
		try {
			List<String> lines = Files.readAllLines(DATASET);
			String[] header = lines.get(0).split(",");
			int label = List.of(header).indexOf(LABEL);
			if (label < 0) {
				throw new IllegalStateException(DATASET + " has no column '" + LABEL + "'");
			}
			List<Row> rows = new ArrayList<>(lines.size() - 1);
			for (int line = 1; line < lines.size(); line++) {
				if (lines.get(line).isBlank()) {
					continue;
				}
				String[] cells = lines.get(line).split(",");
				Map<String, Object> features = new LinkedHashMap<>();
				for (int column = 0; column < header.length; column++) {
					if (column != label) {
						features.put(header[column], number(cells[column].trim()));
					}
				}
				rows.add(new Row(Collections.unmodifiableMap(features), cells[label].trim()));
			}
			return List.copyOf(rows);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The first {@code count} rows, in file order. */
	public static List<Row> first(int count) {
		List<Row> rows = all();
		return rows.subList(0, Math.min(count, rows.size()));
	}

	/** Every row, in an order fixed by {@code seed}. */
	public static List<Row> shuffled(long seed) {
		return shuffled(all(), seed);
	}

	/** {@code rows} in an order fixed by {@code seed}; {@code rows} itself is left as it is. */
	public static List<Row> shuffled(List<Row> rows, long seed) {
		List<Row> copy = new ArrayList<>(rows);
		Collections.shuffle(copy, new Random(seed));
		return List.copyOf(copy);
	}

	/** The instances of a plain predict request ({@code /v1/models/digits:predict}) for {@code rows}. */
	public static Map<String, Object> predictRequest(List<Row> rows) {
		return Map.of("instances", rows.stream().map(Row::features).toList());
	}

	/** The share of {@code rows} whose label is the one predicted for it ({@code predicted} in the same order). */
	public static double accuracy(List<Row> rows, List<String> predicted) {
		if (predicted.size() != rows.size()) {
			throw new IllegalArgumentException(predicted.size() + " predictions for " + rows.size() + " rows");
		}
		int correct = 0;
		for (int i = 0; i < rows.size(); i++) {
			correct += rows.get(i).label().equals(predicted.get(i)) ? 1 : 0;
		}
		return (double) correct / rows.size();
	}

	private static Number number(String cell) {
		try {
			return Integer.valueOf(cell);
		}
		catch (NumberFormatException notWhole) {
			return Double.valueOf(cell);
		}
	}

	static Path locate(Path relative) {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			if (Files.isRegularFile(directory.resolve(relative))) {
				return directory.resolve(relative);
			}
		}
		throw new IllegalStateException(relative + " is not found from " + Path.of("").toAbsolutePath());
	}

}
