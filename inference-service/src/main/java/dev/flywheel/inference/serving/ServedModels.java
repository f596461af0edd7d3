package dev.flywheel.inference.serving;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceProperties;

/** The models this service is configured to serve ({@code flywheel.inference.models}), by name. */
@Component
public class ServedModels {

	private final Map<String, ServedModel> models = new LinkedHashMap<>();

	public ServedModels(InferenceProperties properties, InferenceMetrics metrics) {
		InferenceProperties.Inference inference = properties.inference();
		for (String name : inference.models()) {
			ServedModel model = new ServedModel(name, inference.aliases(), inference.pinnedVersions(name));
			models.put(name, model);
			metrics.loadedVersions(name, model, ServedModel::versionsInMemory);
		}
	}

	/**
	 * @throws InferenceException 404 when the model is not one this service serves
	 */
	public ServedModel get(String name) {
		ServedModel model = models.get(name);
		if (model == null) {
			throw InferenceException.notFound("Model '" + name + "' is not served here; served models: "
					+ models.keySet());
		}
		return model;
	}

	public boolean contains(String name) {
		return models.containsKey(name);
	}

	public Collection<ServedModel> all() {
		return models.values();
	}

	public List<String> names() {
		return List.copyOf(models.keySet());
	}

	/** Ready when every configured model has its champion loaded (and at least one model is configured). */
	public boolean isReady() {
		return !models.isEmpty() && models.values().stream().allMatch(ServedModel::isReady);
	}

}
