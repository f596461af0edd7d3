package dev.flywheel.training.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.flywheel.training.InvalidInputException;

/**
 * One mapping of a spec file with typed, checked access. Every problem is an {@link InvalidInputException} naming the
 * file and the full key ({@code training.epochs}), what was expected and what was found; unknown keys are refused so
 * that a typo never silently falls back to a default.
 */
final class SpecSection {

	private final Path file;

	private final String path;

	private final Map<String, Object> values;

	SpecSection(Path file, String path, Map<String, Object> values) {
		this.file = file;
		this.path = path;
		this.values = values;
	}

	/** Refuses any key not in {@code known}. */
	SpecSection allowOnly(String... known) {
		Set<String> allowed = Set.of(known);
		for (String key : values.keySet()) {
			if (!allowed.contains(key)) {
				throw problem(key, "is not a known key; expected one of " + new TreeSet<>(allowed));
			}
		}
		return this;
	}

	boolean has(String key) {
		return values.get(key) != null;
	}

	String string(String key) {
		Object value = required(key);
		if (!(value instanceof String text) || text.isBlank()) {
			throw problem(key, "must be a non-empty string, got " + describe(value));
		}
		return text;
	}

	String string(String key, String fallback) {
		return has(key) ? string(key) : fallback;
	}

	double number(String key, double fallback) {
		if (!has(key)) {
			return fallback;
		}
		Object value = values.get(key);
		if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
			return number.doubleValue();
		}
		throw problem(key, "must be a finite number, got " + describe(value));
	}

	double fraction(String key, double fallback) {
		double value = number(key, fallback);
		if (value < 0 || value >= 1) {
			throw problem(key, "must be at least 0 and below 1, got " + value);
		}
		return value;
	}

	int positiveInt(String key, int fallback) {
		if (!has(key)) {
			return fallback;
		}
		Object value = values.get(key);
		if (value instanceof Integer number && number > 0) {
			return number;
		}
		throw problem(key, "must be a positive whole number, got " + describe(value));
	}

	long integer(String key, long fallback) {
		if (!has(key)) {
			return fallback;
		}
		Object value = values.get(key);
		if (value instanceof Integer || value instanceof Long) {
			return ((Number) value).longValue();
		}
		throw problem(key, "must be a whole number, got " + describe(value));
	}

	boolean bool(String key, boolean fallback) {
		if (!has(key)) {
			return fallback;
		}
		Object value = values.get(key);
		if (value instanceof Boolean flag) {
			return flag;
		}
		throw problem(key, "must be true or false, got " + describe(value));
	}

	List<String> strings(String key) {
		if (!has(key)) {
			return List.of();
		}
		List<String> strings = new ArrayList<>();
		for (Object item : list(key)) {
			if (!(item instanceof String text) || text.isBlank()) {
				throw problem(key, "must be a list of names, got an item " + describe(item));
			}
			strings.add(text);
		}
		return strings;
	}

	List<SpecSection> sections(String key) {
		List<SpecSection> sections = new ArrayList<>();
		List<?> items = list(key);
		for (int i = 0; i < items.size(); i++) {
			sections.add(asSection(key + "[" + i + "]", items.get(i)));
		}
		return sections;
	}

	SpecSection section(String key) {
		return has(key) ? asSection(key, values.get(key)) : new SpecSection(file, qualified(key), Map.of());
	}

	/** A mapping of metric names to numbers, such as {@code gate.min}. */
	Map<String, Double> numbers(String key) {
		Map<String, Double> numbers = new LinkedHashMap<>();
		SpecSection section = section(key);
		for (String name : section.values.keySet()) {
			numbers.put(name, section.number(name, Double.NaN));
		}
		return numbers;
	}

	InvalidInputException problem(String key, String what) {
		return new InvalidInputException(file + ": " + qualified(key) + " " + what);
	}

	private List<?> list(String key) {
		Object value = values.get(key);
		if (!(value instanceof List<?> list)) {
			throw problem(key, "must be a list, got " + describe(value));
		}
		return list;
	}

	@SuppressWarnings("unchecked")
	private SpecSection asSection(String key, Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			throw problem(key, "must be a mapping of keys to values, got " + describe(value));
		}
		for (Object name : map.keySet()) {
			if (!(name instanceof String)) {
				throw problem(key, "has a key that is not a name: " + describe(name));
			}
		}
		return new SpecSection(file, qualified(key), (Map<String, Object>) map);
	}

	private Object required(String key) {
		Object value = values.get(key);
		if (value == null) {
			throw problem(key, "is missing");
		}
		return value;
	}

	private String qualified(String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	private static String describe(Object value) {
		if (value == null) {
			return "nothing";
		}
		String kind = value instanceof String ? "text" : value instanceof Number ? "a number"
				: value instanceof Boolean ? "a boolean" : value instanceof List ? "a list" : value instanceof Map
						? "a mapping" : value.getClass().getSimpleName();
		String shown = String.valueOf(value);
		return kind + " '" + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown) + "'";
	}

}
