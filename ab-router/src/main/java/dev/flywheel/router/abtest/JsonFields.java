package dev.flywheel.router.abtest;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/**
 * Reads typed fields of one JSON object and records what is wrong with them (missing, wrong type, unknown) as
 * {@link FieldError}s named by their JSON path, so that one answer lists every mistake in a request. A field that is
 * present but {@code null} counts as absent.
 */
final class JsonFields {

	private final JsonNode object;

	private final String path;

	private final List<FieldError> errors;

	private JsonFields(JsonNode object, String path, List<FieldError> errors) {
		this.object = object;
		this.path = path;
		this.errors = errors;
	}

	/** The fields of {@code node}, or none (with an error) when it is not an object. */
	static Optional<JsonFields> of(JsonNode node, String path, List<FieldError> errors) {
		if (!node.isObject()) {
			errors.add(new FieldError(path.isEmpty() ? "$" : path, "must be a JSON object, not " + describe(node)));
			return Optional.empty();
		}
		return Optional.of(new JsonFields(node, path, errors));
	}

	/** Refuses every field not in {@code known}: a misspelt setting must not silently fall back to its default. */
	void refuseUnknown(Set<String> known) {
		Set<String> unknown = new TreeSet<>(object.propertyNames());
		unknown.removeAll(known);
		for (String name : unknown) {
			errors.add(new FieldError(field(name), "is not a known field (known: " + String.join(", ", new TreeSet<>(known))
					+ ")"));
		}
	}

	Set<String> propertyNames() {
		return new java.util.LinkedHashSet<>(object.propertyNames());
	}

	boolean has(String name) {
		JsonNode value = object.get(name);
		return value != null && !value.isNull();
	}

	Optional<JsonNode> node(String name) {
		return has(name) ? Optional.of(object.get(name)) : Optional.empty();
	}

	Optional<String> string(String name) {
		return node(name).flatMap(value -> {
			if (!value.isString()) {
				return invalid(name, "must be a string, not " + describe(value));
			}
			if (value.asString().isBlank()) {
				return invalid(name, "must not be blank");
			}
			return Optional.of(value.asString());
		});
	}

	Optional<String> requiredString(String name) {
		if (!has(name)) {
			missing(name);
			return Optional.empty();
		}
		return string(name);
	}

	OptionalDouble number(String name) {
		Optional<JsonNode> value = node(name);
		if (value.isEmpty()) {
			return OptionalDouble.empty();
		}
		if (!value.get().isNumber()) {
			invalid(name, "must be a number, not " + describe(value.get()));
			return OptionalDouble.empty();
		}
		return OptionalDouble.of(value.get().doubleValue());
	}

	OptionalLong integer(String name) {
		Optional<JsonNode> value = node(name);
		if (value.isEmpty()) {
			return OptionalLong.empty();
		}
		if (!value.get().isIntegralNumber() || !value.get().canConvertToLong()) {
			invalid(name, "must be a whole number, not " + describe(value.get()));
			return OptionalLong.empty();
		}
		return OptionalLong.of(value.get().longValue());
	}

	Optional<List<JsonNode>> array(String name) {
		return node(name).flatMap(value -> {
			if (!value.isArray()) {
				return invalid(name, "must be an array, not " + describe(value));
			}
			List<JsonNode> items = new java.util.ArrayList<>();
			value.forEach(items::add);
			return Optional.of(items);
		});
	}

	Optional<JsonFields> object(String name) {
		return node(name).flatMap(value -> of(value, field(name), errors));
	}

	void missing(String name) {
		errors.add(new FieldError(field(name), "is required"));
	}

	<T> Optional<T> invalid(String name, String message) {
		errors.add(new FieldError(field(name), message));
		return Optional.empty();
	}

	String field(String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	static String describe(JsonNode value) {
		if (value.isString()) {
			return "the string \"" + abbreviate(value.asString()) + "\"";
		}
		if (value.isNumber()) {
			return "the number " + value.numberValue();
		}
		if (value.isBoolean()) {
			return "the boolean " + value.asString();
		}
		if (value.isArray()) {
			return "an array";
		}
		if (value.isObject()) {
			return "an object";
		}
		return "null";
	}

	private static String abbreviate(String text) {
		return text.length() <= 40 ? text : text.substring(0, 40) + "…";
	}

}
