package dev.flywheel.registry.mlflow;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow's validation rules and limits (mlflow/utils/validation.py in 2.17): key and value lengths, the name pattern,
 * batch sizes, and the alias rules. Each failure is an {@code INVALID_PARAMETER_VALUE} that names what is wrong.
 */
public final class Validation {

	public static final int MAX_KEY_LENGTH = 250;

	public static final int MAX_PARAM_VALUE_LENGTH = 6000;

	public static final int MAX_RUN_TAG_VALUE_LENGTH = 8000;

	public static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;

	public static final int MAX_REGISTRY_TAG_VALUE_LENGTH = 5000;

	public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

	public static final int MAX_MODEL_NAME_LENGTH = 256;

	public static final int MAX_DESCRIPTION_LENGTH = 5000;

	public static final int MAX_SOURCE_LENGTH = 1000;

	public static final int MAX_RUN_NAME_LENGTH = 250;

	public static final int MAX_ALIAS_LENGTH = 255;

	public static final int MAX_METRICS_PER_BATCH = 1000;

	public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;

	public static final int MAX_ENTITIES_PER_BATCH = 1000;

	private static final Pattern NAME = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);

	private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$");

	private static final Pattern VERSION_LIKE_ALIAS = Pattern.compile("^[vV]\\d+$");

	private static final Pattern RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");

	private Validation() {
	}

	/** A metric, param or tag key: MLflow's pattern, and it must not name another path once normalised. */
	public static void key(String kind, String key) {
		if (key == null || key.isEmpty()) {
			throw MlflowException.invalid("Missing value for required parameter 'key'.");
		}
		if (!NAME.matcher(key).matches()) {
			throw MlflowException.invalid("Invalid " + kind + " name: '" + truncate(key) + "'. Names may only contain "
					+ "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
		}
		String normalised = Path.of(key).normalize().toString();
		if (!normalised.equals(key) || normalised.equals(".") || normalised.startsWith("..")
				|| normalised.startsWith("/")) {
			throw MlflowException.invalid("Invalid " + kind + " name: '" + truncate(key) + "'. Names may be treated as "
					+ "files in certain cases, and must not resolve to other names when treated as such. This name "
					+ "would resolve to '" + normalised + "'");
		}
		length(kind + " name", key, MAX_KEY_LENGTH);
	}

	public static void length(String what, String value, int limit) {
		if (value != null && value.length() > limit) {
			throw MlflowException.invalid(what + " '" + truncate(value) + "' had length " + value.length()
					+ ", which exceeded length limit of " + limit);
		}
	}

	public static void batch(int metrics, int params, int tags) {
		if (metrics > MAX_METRICS_PER_BATCH) {
			throw MlflowException.invalid("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH
					+ " metrics. Got " + metrics + " metrics.");
		}
		if (params > MAX_PARAMS_TAGS_PER_BATCH) {
			throw MlflowException.invalid("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
					+ " params. Got " + params + " params.");
		}
		if (tags > MAX_PARAMS_TAGS_PER_BATCH) {
			throw MlflowException.invalid("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
					+ " tags. Got " + tags + " tags.");
		}
		int total = metrics + params + tags;
		if (total > MAX_ENTITIES_PER_BATCH) {
			throw MlflowException.invalid("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH
					+ " total metrics, params, and tags. Got " + total + " total entities.");
		}
	}

	public static void experimentName(String name) {
		if (name == null || name.isBlank()) {
			throw MlflowException.invalid("Invalid experiment name: '" + name + "'");
		}
		length("Experiment name", name, MAX_EXPERIMENT_NAME_LENGTH);
	}

	public static void modelName(String name) {
		if (name == null || name.isEmpty()) {
			throw MlflowException.invalid("Registered model name cannot be empty.");
		}
		length("Registered model name", name, MAX_MODEL_NAME_LENGTH);
		if (name.indexOf('\0') >= 0 || name.contains("\n")) {
			throw MlflowException.invalid("Invalid registered model name: '" + truncate(name) + "'");
		}
	}

	public static void runId(String runId) {
		if (!RUN_ID.matcher(runId).matches()) {
			throw MlflowException.invalid("Invalid run ID: '" + truncate(runId) + "'");
		}
	}

	/** MLflow's alias rules: not "latest", not version-like ({@code v3}), word characters and dashes only. */
	public static void alias(String alias) {
		if (alias == null || alias.isEmpty()) {
			throw MlflowException.invalid("Missing value for required parameter 'alias'.");
		}
		length("Registered model alias name", alias, MAX_ALIAS_LENGTH);
		if ("latest".equalsIgnoreCase(alias)) {
			throw MlflowException.invalid("'" + alias + "' alias name (case insensitive) is reserved.");
		}
		if (VERSION_LIKE_ALIAS.matcher(alias).matches()) {
			throw MlflowException.invalid("Version alias name '" + alias + "' must not have the format v<number>, "
					+ "which is reserved for model versions.");
		}
		if (!ALIAS.matcher(alias).matches()) {
			throw MlflowException.invalid("Invalid alias name: '" + truncate(alias) + "'. Names may only contain "
					+ "alphanumerics, underscores (_) and dashes (-).");
		}
	}

	/** A model version number as MLflow takes it: a positive integer written as a string or a number. */
	public static long version(String version) {
		try {
			long value = Long.parseLong(version.trim());
			if (value > 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw MlflowException.invalid("Parameter 'version' must be an integer, got '" + truncate(version) + "'.");
	}

	public static <T> List<T> atMost(String what, List<T> values, int limit) {
		if (values.size() > limit) {
			throw MlflowException.invalid("At most " + limit + " " + what + " may be given; got " + values.size());
		}
		return values;
	}

	static String truncate(String value) {
		return value.length() > 250 ? value.substring(0, 250) + "..." : value;
	}

}
