package dev.flywheel.registry.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.MultiValueMap;

/**
 * The parameters of one MLflow API call, read as MLflow's server reads them: from the JSON body, or for a GET (and a
 * DELETE without a body) from the query string, where repeated keys make a list. Getters check types as the proto
 * schema does: int64 as a number or a numeric string, doubles also as {@code "NaN"} and {@code "Infinity"}, enums by
 * name. A wrong type or a missing required value is an {@code INVALID_PARAMETER_VALUE} naming the parameter.
 */
public final class MlflowRequest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ObjectNode body;

	private MlflowRequest(ObjectNode body) {
		this.body = body;
	}

	/** Reads a request: the JSON body when there is one, else the query parameters. */
	public static MlflowRequest of(String body, MultiValueMap<String, String> query) {
		if (body != null && !body.isBlank()) {
			return ofJson(body);
		}
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		for (Map.Entry<String, List<String>> entry : query.entrySet()) {
			List<String> values = entry.getValue();
			if (values.size() == 1) {
				node.put(entry.getKey(), values.get(0));
			}
			else {
				var array = node.putArray(entry.getKey());
				values.forEach(array::add);
			}
		}
		return new MlflowRequest(node);
	}

	public static MlflowRequest ofJson(String body) {
		JsonNode node;
		try {
			node = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw MlflowException.invalid("Malformed JSON in request body: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw MlflowException.invalid("The request body must be a JSON object");
		}
		return new MlflowRequest((ObjectNode) node);
	}

	private Optional<JsonNode> value(String name) {
		JsonNode node = body.get(name);
		return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
	}

	public boolean has(String name) {
		return value(name).isPresent();
	}

	public String requiredString(String name) {
		return string(name).filter(s -> !s.isEmpty()).orElseThrow(() -> missing(name));
	}

	/** The first present of several names for one parameter, such as {@code run_id} and {@code run_uuid}. */
	public String requiredString(String name, String alias) {
		return string(name).filter(s -> !s.isEmpty())
			.or(() -> string(alias).filter(s -> !s.isEmpty()))
			.orElseThrow(() -> missing(name));
	}

	public Optional<String> string(String name) {
		return value(name).map(node -> {
			if (!node.isString()) {
				throw wrongType(name, node, "a string");
			}
			return node.stringValue();
		});
	}

	public Optional<Long> int64(String name) {
		return value(name).map(node -> {
			if (node.isIntegralNumber() && node.canConvertToLong()) {
				return node.longValue();
			}
			if (node.isString()) {
				try {
					return Long.parseLong(node.stringValue().trim());
				}
				catch (NumberFormatException ex) {
					throw wrongType(name, node, "an integer");
				}
			}
			throw wrongType(name, node, "an integer");
		});
	}

	public long requiredInt64(String name) {
		return int64(name).orElseThrow(() -> missing(name));
	}

	public Optional<Integer> int32(String name) {
		return int64(name).map(value -> {
			if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
				throw MlflowException.invalid("Invalid value " + value + " for parameter '" + name
						+ "' supplied: it does not fit a 32-bit integer.");
			}
			return value.intValue();
		});
	}

	public Optional<Double> number(String name) {
		return value(name).map(node -> asDouble(name, node));
	}

	public double requiredNumber(String name) {
		return number(name).orElseThrow(() -> missing(name));
	}

	public Optional<Boolean> bool(String name) {
		return value(name).map(node -> {
			if (node.isBoolean()) {
				return node.booleanValue();
			}
			if (node.isString() && ("true".equalsIgnoreCase(node.stringValue())
					|| "false".equalsIgnoreCase(node.stringValue()))) {
				return Boolean.parseBoolean(node.stringValue());
			}
			throw wrongType(name, node, "a boolean");
		});
	}

	public boolean requiredBool(String name) {
		return bool(name).orElseThrow(() -> missing(name));
	}

	/** A repeated string field; a single value given where a list is expected counts as a list of one. */
	public List<String> strings(String name) {
		return value(name).map(node -> {
			List<String> values = new ArrayList<>();
			if (node.isArray()) {
				for (JsonNode item : node) {
					if (!item.isString()) {
						throw wrongType(name, item, "a list of strings");
					}
					values.add(item.stringValue());
				}
			}
			else if (node.isString()) {
				values.add(node.stringValue());
			}
			else {
				throw wrongType(name, node, "a list of strings");
			}
			return values;
		}).orElse(List.of());
	}

	/** A repeated message field such as {@code tags} or {@code metrics}, each element a JSON object. */
	public List<MlflowRequest> objects(String name) {
		return value(name).map(node -> {
			if (!node.isArray()) {
				throw wrongType(name, node, "a list of objects");
			}
			List<MlflowRequest> values = new ArrayList<>();
			for (JsonNode item : node) {
				if (!item.isObject()) {
					throw wrongType(name, item, "a list of objects");
				}
				values.add(new MlflowRequest((ObjectNode) item));
			}
			return values;
		}).orElse(List.of());
	}

	/** {@code [{key, value}]} pairs; a missing key is an error, a missing value counts as empty. */
	public List<KeyValue> keyValues(String name) {
		return objects(name).stream()
			.map(item -> new KeyValue(item.requiredString("key"), item.string("value").orElse("")))
			.toList();
	}

	private static double asDouble(String name, JsonNode node) {
		if (node.isNumber()) {
			return node.doubleValue();
		}
		if (node.isString()) {
			String text = node.stringValue().trim();
			switch (text) {
				case "NaN":
					return Double.NaN;
				case "Infinity":
					return Double.POSITIVE_INFINITY;
				case "-Infinity":
					return Double.NEGATIVE_INFINITY;
				default:
					try {
						return Double.parseDouble(text);
					}
					catch (NumberFormatException ex) {
						throw wrongType(name, node, "a number");
					}
			}
		}
		throw wrongType(name, node, "a number");
	}

	private static MlflowException missing(String name) {
		return MlflowException.invalid("Missing value for required parameter '" + name + "'.");
	}

	private static MlflowException wrongType(String name, JsonNode node, String expected) {
		String shown = node.toString();
		if (shown.length() > 100) {
			shown = shown.substring(0, 100) + "...";
		}
		return MlflowException.invalid("Invalid value " + shown + " for parameter '" + name + "' supplied: expected "
				+ expected + ".");
	}
}
