package dev.flywheel.registry.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.mlflow.MlflowRequest;
import dev.flywheel.registry.mlflow.Validation;

/** The parameters that registry requests share, read and validated as MLflow does. */
final class ModelRequests {

	private ModelRequests() {
	}

	static String name(MlflowRequest request) {
		String name = request.requiredString("name");
		Validation.modelName(name);
		return name;
	}

	/** A version number, given as a string (as MLflow clients send it) or a number. */
	static long version(MlflowRequest request) {
		long version = request.int64("version")
			.orElseThrow(() -> MlflowException.invalid("Missing value for required parameter 'version'."));
		if (version < 1) {
			throw MlflowException.invalid("Invalid value " + version + " for parameter 'version': model versions "
					+ "start at 1.");
		}
		return version;
	}

	static String description(MlflowRequest request) {
		String description = request.string("description").orElse(null);
		Validation.length("Description", description, Validation.MAX_DESCRIPTION_LENGTH);
		return description;
	}

	static KeyValue tag(MlflowRequest request) {
		return new KeyValue(request.requiredString("key"), request.string("value").orElse(""));
	}

	static List<KeyValue> tags(List<KeyValue> tags) {
		for (KeyValue tag : tags) {
			Validation.key("tag", tag.key());
			Validation.length("Tag value", tag.value(), Validation.MAX_REGISTRY_TAG_VALUE_LENGTH);
		}
		return tags;
	}

	static Map<String, Object> page(String field, List<?> items, String nextPageToken) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put(field, items);
		if (nextPageToken != null) {
			body.put("next_page_token", nextPageToken);
		}
		return body;
	}

}
