package dev.flywheel.registry.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.flywheel.registry.mlflow.MlflowException;

/**
 * MLflow's search filter language: comparisons joined by {@code AND}, such as
 * {@code metrics.acc > 0.9 and params.lr = '0.01' and tags.`mlflow.user` LIKE 'a%' and attributes.run_id IN ('a')}.
 * A key without prefix is an attribute ({@code name}, {@code status}, {@code run_id}, ...). Keys with special
 * characters are quoted with backticks or double quotes after the prefix. {@code OR} is not part of the language.
 */
public final class FilterParser {

	private static final Map<String, String> PREFIXES = Map.ofEntries(Map.entry("metric", "metric"),
			Map.entry("metrics", "metric"), Map.entry("param", "param"), Map.entry("params", "param"),
			Map.entry("parameter", "param"), Map.entry("parameters", "param"), Map.entry("tag", "tag"),
			Map.entry("tags", "tag"), Map.entry("attribute", "attribute"), Map.entry("attributes", "attribute"),
			Map.entry("attr", "attribute"), Map.entry("run", "attribute"), Map.entry("dataset", "dataset"),
			Map.entry("datasets", "dataset"));

	private final String text;

	private int position;

	private FilterParser(String text) {
		this.text = text;
	}

	/** The clauses of {@code filter}; an empty or blank filter has none. */
	public static List<Comparison> parse(String filter) {
		if (filter == null || filter.isBlank()) {
			return List.of();
		}
		return new FilterParser(filter).clauses();
	}

	private List<Comparison> clauses() {
		List<Comparison> clauses = new ArrayList<>();
		clauses.add(comparison());
		while (true) {
			skipSpace();
			if (position >= text.length()) {
				return clauses;
			}
			String word = peekWord();
			if ("and".equalsIgnoreCase(word)) {
				position += word.length();
				clauses.add(comparison());
			}
			else if ("or".equalsIgnoreCase(word)) {
				throw invalid("OR is not supported; combine clauses with AND");
			}
			else {
				throw invalid("expected AND at position " + position);
			}
		}
	}

	private Comparison comparison() {
		skipSpace();
		String[] identifier = identifier();
		String operator = operator();
		Object value;
		switch (operator) {
			case "IS NULL", "IS NOT NULL" -> value = null;
			case "IN", "NOT IN" -> value = list();
			default -> value = literal();
		}
		return new Comparison(identifier[0], identifier[1], operator, value);
	}

	private String[] identifier() {
		if (position < text.length() && isQuote(text.charAt(position))) {
			return new String[] { "attribute", quoted() };
		}
		int start = position;
		while (position < text.length()
				&& (Character.isLetterOrDigit(text.charAt(position)) || "_.".indexOf(text.charAt(position)) >= 0)) {
			position++;
		}
		String word = text.substring(start, position);
		if (word.isEmpty()) {
			throw invalid("expected a key at position " + start);
		}
		int dot = word.indexOf('.');
		if (dot < 0) {
			return new String[] { "attribute", word };
		}
		String prefix = word.substring(0, dot).toLowerCase(Locale.ROOT);
		String type = PREFIXES.get(prefix);
		if (type == null) {
			throw invalid("invalid entity type '" + word.substring(0, dot) + "'; expected one of metrics, params, "
					+ "tags, attributes or datasets");
		}
		String key = word.substring(dot + 1);
		if (key.isEmpty() && position < text.length() && isQuote(text.charAt(position))) {
			key = quoted();
		}
		if (key.isEmpty()) {
			throw invalid("missing key after '" + word + "'");
		}
		return new String[] { type, key };
	}

	private String operator() {
		skipSpace();
		if (position >= text.length()) {
			throw invalid("expected a comparison operator at the end");
		}
		for (String symbol : new String[] { "!=", "<>", "<=", ">=", "=", "<", ">" }) {
			if (text.startsWith(symbol, position)) {
				position += symbol.length();
				return symbol.equals("<>") ? "!=" : symbol;
			}
		}
		String word = peekWord().toUpperCase(Locale.ROOT);
		switch (word) {
			case "LIKE", "ILIKE", "IN" -> {
				position += word.length();
				return word;
			}
			case "NOT" -> {
				position += word.length();
				skipSpace();
				String next = peekWord().toUpperCase(Locale.ROOT);
				if (!next.equals("IN")) {
					throw invalid("expected IN after NOT");
				}
				position += next.length();
				return "NOT IN";
			}
			case "IS" -> {
				position += word.length();
				skipSpace();
				String next = peekWord().toUpperCase(Locale.ROOT);
				if (next.equals("NULL")) {
					position += next.length();
					return "IS NULL";
				}
				if (next.equals("NOT")) {
					position += next.length();
					skipSpace();
					if (peekWord().equalsIgnoreCase("NULL")) {
						position += 4;
						return "IS NOT NULL";
					}
				}
				throw invalid("expected NULL or NOT NULL after IS");
			}
			default -> throw invalid("invalid comparison operator at position " + position);
		}
	}

	private Object literal() {
		skipSpace();
		if (position >= text.length()) {
			throw invalid("expected a value at the end");
		}
		char c = text.charAt(position);
		if (isQuote(c)) {
			return quoted();
		}
		int start = position;
		while (position < text.length() && "+-.eE0123456789".indexOf(text.charAt(position)) >= 0) {
			position++;
		}
		String number = text.substring(start, position);
		try {
			return Double.parseDouble(number);
		}
		catch (NumberFormatException ex) {
			throw invalid("expected a quoted string or a number at position " + start);
		}
	}

	private List<String> list() {
		skipSpace();
		expect('(');
		List<String> values = new ArrayList<>();
		while (true) {
			skipSpace();
			if (position >= text.length() || !isQuote(text.charAt(position))) {
				throw invalid("IN takes a list of quoted strings, such as ('a', 'b')");
			}
			values.add(quoted());
			skipSpace();
			if (position < text.length() && text.charAt(position) == ',') {
				position++;
				continue;
			}
			expect(')');
			return values;
		}
	}

	private String quoted() {
		char quote = text.charAt(position);
		int end = text.indexOf(quote, position + 1);
		if (end < 0) {
			throw invalid("unterminated quote starting at position " + position);
		}
		String value = text.substring(position + 1, end);
		position = end + 1;
		return value;
	}

	private void expect(char c) {
		if (position >= text.length() || text.charAt(position) != c) {
			throw invalid("expected '" + c + "' at position " + position);
		}
		position++;
	}

	private String peekWord() {
		int end = position;
		while (end < text.length() && Character.isLetter(text.charAt(end))) {
			end++;
		}
		return text.substring(position, end);
	}

	private void skipSpace() {
		while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
			position++;
		}
	}

	private static boolean isQuote(char c) {
		return c == '\'' || c == '"' || c == '`';
	}

	private MlflowException invalid(String reason) {
		return MlflowException.invalid("Invalid filter '" + text + "': " + reason);
	}

}
