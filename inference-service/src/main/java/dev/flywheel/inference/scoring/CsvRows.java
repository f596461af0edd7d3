package dev.flywheel.inference.scoring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.flywheel.inference.api.JsonRows;
import dev.flywheel.inference.serving.FeatureSchema;
import dev.flywheel.inference.serving.InferenceException;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.serving.RowsBuilder;

/** A CSV body as MLflow's scoring server takes it: a header row naming the features, then one row per line (RFC 4180). */
final class CsvRows {

	private CsvRows() {
	}

	static Rows of(FeatureSchema schema, byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8);
		// a byte-order mark, as spreadsheet programs write one, is not part of the first column's name
		List<List<String>> lines = parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
		if (lines.isEmpty()) {
			throw InferenceException.badInput("The CSV body is empty: send a header row naming the features, then rows");
		}
		List<String> header = lines.get(0).stream().map(String::trim).toList();
		int[] features = JsonRows.positions(schema, header, "The CSV header");
		RowsBuilder builder = schema.rows(lines.size() - 1);
		for (int row = 0; row < lines.size() - 1; row++) {
			List<String> cells = lines.get(row + 1);
			if (cells.size() != header.size()) {
				throw InferenceException.badInput("CSV line " + (row + 2) + " has " + cells.size()
						+ " cells; the header has " + header.size());
			}
			for (int column = 0; column < cells.size(); column++) {
				builder.text(row, features[column], cells.get(column));
			}
		}
		return builder.build();
	}

	/** The records of {@code text}; blank lines are skipped, quoted cells may hold commas, quotes and newlines. */
	static List<List<String>> parse(String text) {
		List<List<String>> records = new ArrayList<>();
		List<String> record = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		boolean any = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					cell.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					cell.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
				any = true;
			}
			else if (c == ',') {
				record.add(cell.toString());
				cell.setLength(0);
				any = true;
			}
			else if (c == '\n' || c == '\r') {
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
					i++;
				}
				if (any || cell.length() > 0) {
					record.add(cell.toString());
					records.add(record);
				}
				record = new ArrayList<>();
				cell.setLength(0);
				any = false;
			}
			else {
				cell.append(c);
				any = true;
			}
		}
		if (quoted) {
			throw InferenceException.badInput("The CSV body ends inside a quoted cell");
		}
		if (any || cell.length() > 0) {
			record.add(cell.toString());
			records.add(record);
		}
		return records;
	}

}
