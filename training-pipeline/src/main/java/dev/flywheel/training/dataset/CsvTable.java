package dev.flywheel.training.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.flywheel.training.Digests;
import dev.flywheel.training.InvalidInputException;

/**
 * A CSV file with a header row (RFC 4180: commas, double quotes around fields that hold commas, quotes or line
 * breaks, doubled quotes inside them), read whole, with the SHA-256 of its bytes and the line each row starts on.
 * Ragged rows are refused with their line number.
 */
public record CsvTable(Path path, String sha256, List<String> header, List<Row> rows) {

	public record Row(int line, List<String> fields) {
	}

	public static CsvTable read(Path path) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(path);
		}
		catch (NoSuchFileException ex) {
			throw new InvalidInputException(path + ": no such dataset file");
		}
		catch (IOException ex) {
			throw new InvalidInputException(path + ": cannot be read: " + ex.getMessage());
		}
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		List<Row> records = parse(path, text);
		if (records.isEmpty()) {
			throw new InvalidInputException(path + ": the file is empty; a dataset needs a header row and data rows");
		}
		List<String> header = records.get(0).fields().stream().map(String::trim).toList();
		for (int i = 0; i < header.size(); i++) {
			if (header.get(i).isEmpty()) {
				throw new InvalidInputException(path + ": line 1: column " + (i + 1) + " of the header has no name");
			}
			if (header.indexOf(header.get(i)) != i) {
				throw new InvalidInputException(path + ": line 1: the column name '" + header.get(i) + "' repeats");
			}
		}
		List<Row> rows = records.subList(1, records.size());
		if (rows.isEmpty()) {
			throw new InvalidInputException(path + ": the file has a header but no data rows");
		}
		for (Row row : rows) {
			if (row.fields().size() != header.size()) {
				throw new InvalidInputException(path + ": line " + row.line() + " has " + row.fields().size()
						+ " fields, but the header has " + header.size());
			}
		}
		return new CsvTable(path, Digests.bytes(bytes), header, List.copyOf(rows));
	}

	/** The index of {@code column}, or an error naming the file and the columns it has. */
	public int column(String column, String role) {
		int index = header.indexOf(column);
		if (index < 0) {
			throw new InvalidInputException(path + ": the header has no " + role + " column '" + column
					+ "'; its columns are " + header);
		}
		return index;
	}

	private static List<Row> parse(Path path, String text) {
		List<Row> records = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		boolean fieldStarted = false;
		int line = 1;
		int recordLine = 1;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"') {
					if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
						field.append('"');
						i++;
					}
					else {
						quoted = false;
					}
				}
				else {
					if (c == '\n') {
						line++;
					}
					field.append(c);
				}
				continue;
			}
			switch (c) {
				case '"' -> {
					if (field.length() > 0) {
						throw new InvalidInputException(path + ": line " + line + ": a quote inside an unquoted field");
					}
					quoted = true;
					fieldStarted = true;
				}
				case ',' -> {
					fields.add(field.toString());
					field.setLength(0);
					fieldStarted = true;
				}
				case '\r' -> {
				}
				case '\n' -> {
					if (fieldStarted || field.length() > 0 || !fields.isEmpty()) {
						fields.add(field.toString());
						records.add(new Row(recordLine, List.copyOf(fields)));
					}
					fields.clear();
					field.setLength(0);
					fieldStarted = false;
					line++;
					recordLine = line;
				}
				default -> {
					field.append(c);
					fieldStarted = true;
				}
			}
		}
		if (quoted) {
			throw new InvalidInputException(path + ": line " + recordLine + ": a quoted field is never closed");
		}
		if (fieldStarted || field.length() > 0 || !fields.isEmpty()) {
			fields.add(field.toString());
			records.add(new Row(recordLine, List.copyOf(fields)));
		}
		return records;
	}

}
