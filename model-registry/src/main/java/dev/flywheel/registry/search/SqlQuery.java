package dev.flywheel.registry.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A search turned into SQL: the WHERE conditions and ORDER BY terms that the filter and order_by clauses gave, with
 * every value bound as a parameter, never spliced into the text.
 */
public final class SqlQuery {

	private final List<String> conditions = new ArrayList<>();

	private final List<String> joins = new ArrayList<>();

	private final List<String> orderTerms = new ArrayList<>();

	private final Map<String, Object> parameters = new LinkedHashMap<>();

	/** Binds {@code value} and returns its placeholder. */
	public String bind(Object value) {
		String name = "p" + parameters.size();
		parameters.put(name, value);
		return ":" + name;
	}

	public SqlQuery where(String condition) {
		conditions.add(condition);
		return this;
	}

	public SqlQuery join(String join) {
		joins.add(join);
		return this;
	}

	/** Sorts on {@code expression}, with rows lacking a value last in either direction, as MLflow does. */
	public SqlQuery orderNullsLast(String expression, boolean ascending) {
		orderTerms.add("CASE WHEN " + expression + " IS NULL THEN 1 ELSE 0 END");
		orderTerms.add(expression + (ascending ? " ASC" : " DESC"));
		return this;
	}

	public SqlQuery order(String term) {
		orderTerms.add(term);
		return this;
	}

	public String joins() {
		return String.join(" ", joins);
	}

	public String whereClause() {
		return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
	}

	public String orderByClause() {
		return orderTerms.isEmpty() ? "" : " ORDER BY " + String.join(", ", orderTerms);
	}

	public DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec) {
		for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
			spec = spec.bind(parameter.getKey(), parameter.getValue());
		}
		return spec;
	}

	/**
	 * The SQL for a string comparison: {@code =, !=, LIKE, ILIKE} (case-insensitive LIKE), {@code IN, NOT IN}.
	 * Returns null for an operator that strings do not take.
	 */
	public String stringCondition(String column, Comparison comparison) {
		return switch (comparison.operator()) {
			case "=", "!=" -> comparison.isString() ? column + " " + comparison.operator().replace("!=", "<>") + " "
					+ bind(comparison.value()) : null;
			case "LIKE" -> comparison.isString() ? column + " LIKE " + bind(comparison.value()) : null;
			case "ILIKE" -> comparison.isString() ? "LOWER(" + column + ") LIKE LOWER(" + bind(comparison.value()) + ")"
					: null;
			case "IN" -> column + " IN (" + bind(comparison.values()) + ")";
			case "NOT IN" -> column + " NOT IN (" + bind(comparison.values()) + ")";
			default -> null;
		};
	}

	/** The SQL for a numeric comparison ({@code =, !=, <, <=, >, >=}); null for any other operator. */
	public String numberCondition(String column, Comparison comparison) {
		if (!comparison.isNumber()) {
			return null;
		}
		return switch (comparison.operator()) {
			case "=", "!=", "<", "<=", ">", ">=" -> column + " " + comparison.operator().replace("!=", "<>") + " "
					+ bind(comparison.value());
			default -> null;
		};
	}

	/** As {@link #numberCondition} for an integer column such as a timestamp, binding a long. */
	public String integerCondition(String column, Comparison comparison) {
		if (!comparison.isNumber()) {
			return null;
		}
		double value = (Double) comparison.value();
		if (value != Math.rint(value)) {
			return null;
		}
		return switch (comparison.operator()) {
			case "=", "!=", "<", "<=", ">", ">=" -> column + " " + comparison.operator().replace("!=", "<>") + " "
					+ bind((long) value);
			default -> null;
		};
	}

}
