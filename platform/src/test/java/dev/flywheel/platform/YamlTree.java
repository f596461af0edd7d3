package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A YAML document read with SnakeYAML's safe constructor, and typed steps into it that fail with the path they were
 * looking for (a misspelt key in a compose or workflow file then names itself in the test's failure).
 */
final class YamlTree {

	private YamlTree() {
	}

	static Map<String, Object> read(Path file) {
		try {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
			return asMap(loaded, file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	/** The value under {@code key}, which must be a mapping. */
	static Map<String, Object> map(Map<?, ?> parent, Object key) {
		return asMap(required(parent, key), String.valueOf(key));
	}

	/** The value under {@code key}, which must be a sequence. */
	static List<Object> list(Map<?, ?> parent, Object key) {
		Object value = required(parent, key);
		if (!(value instanceof List<?> list)) {
			throw new AssertionError("'" + key + "' is not a list: " + value);
		}
		@SuppressWarnings("unchecked")
		List<Object> typed = (List<Object>) list;
		return typed;
	}

	/** The value under {@code key} as text (numbers and booleans included). */
	static String text(Map<?, ?> parent, Object key) {
		return String.valueOf(required(parent, key));
	}

	/** The mapping under {@code key}, or an empty one when the key is absent. */
	static Map<String, Object> optionalMap(Map<?, ?> parent, Object key) {
		Object value = parent.get(key);
		return value == null ? Map.of() : asMap(value, String.valueOf(key));
	}

	/** The sequence under {@code key}, or an empty one when the key is absent. */
	static List<Object> optionalList(Map<?, ?> parent, Object key) {
		return parent.containsKey(key) ? list(parent, key) : List.of();
	}

	/** {@code value}, which must be a mapping ({@code what} names it in the failure). */
	static Map<String, Object> asMap(Object value, String what) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new AssertionError(what + " is not a mapping: " + value);
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> typed = (Map<String, Object>) map;
		return typed;
	}

	private static Object required(Map<?, ?> parent, Object key) {
		Object value = parent.get(key);
		if (value == null) {
			throw new AssertionError("no '" + key + "' in " + parent.keySet());
		}
		return value;
	}

}
