package dev.flywheel.registry.search;

import java.util.List;
import java.util.Objects;

/**
 * One clause of a search filter, such as {@code metrics.accuracy > 0.9}.
 *
 * @param type what the key names: {@code metric}, {@code param}, {@code tag}, {@code attribute} or {@code dataset}
 * @param key the metric, param, tag or attribute name
 * @param operator {@code =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL}
 * @param value a {@link String}, a {@link Double}, a {@code List<String>} for IN, or {@code null} for IS NULL
 */
public record Comparison(String type, String key, String operator, Object value) {

	public Comparison {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(operator, "operator");
	}

	public boolean isNumber() {
		return value instanceof Double;
	}

	public boolean isString() {
		return value instanceof String;
	}

	@SuppressWarnings("unchecked")
	public List<String> values() {
		return (List<String>) value;
	}

	@Override
	public String toString() {
		return type + "." + key + " " + operator + (value == null ? "" : " " + value);
	}

}
