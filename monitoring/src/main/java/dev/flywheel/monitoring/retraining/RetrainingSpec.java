package dev.flywheel.monitoring.retraining;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The training spec of a retraining: the champion's own spec (as its run stored it), with its dataset path made
 * absolute against the directory the spec was read from, the snapshot added as feedback data with the champion as the
 * parent version (the training pipeline's {@code feedback: {path, parent_version}}), and its {@code registry} left to
 * the command line.
 */
final class RetrainingSpec {

	private RetrainingSpec() {
	}

	/**
	 * @param championSpec the YAML of the champion's spec
	 * @param specDirectory the directory the champion's spec was read from (its relative paths' base)
	 */
	static String of(String championSpec, Path specDirectory, Snapshot snapshot, String parentVersion) {
		Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(championSpec);
		if (!(loaded instanceof Map<?, ?> root) || !(root.get("dataset") instanceof Map<?, ?> dataset)
				|| !(dataset.get("path") instanceof String path)) {
			throw new IllegalArgumentException("The champion's spec has no dataset.path");
		}
		Map<String, Object> spec = copy(root);
		Map<String, Object> data = copy(dataset);
		data.put("path", specDirectory.resolve(path).normalize().toAbsolutePath().toString());
		spec.put("dataset", data);
		Map<String, Object> feedback = new LinkedHashMap<>();
		feedback.put("path", snapshot.file().toAbsolutePath().toString());
		feedback.put("parent_version", Integer.parseInt(parentVersion));
		spec.put("feedback", feedback);
		spec.remove("registry");
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(new Representer(options), options).dump(spec);
	}

	/** The label column the champion's spec names. */
	static String label(String championSpec) {
		Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(championSpec);
		if (loaded instanceof Map<?, ?> root && root.get("dataset") instanceof Map<?, ?> dataset
				&& dataset.get("label") instanceof String label) {
			return label;
		}
		throw new IllegalArgumentException("The champion's spec has no dataset.label");
	}

	private static Map<String, Object> copy(Map<?, ?> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(String.valueOf(key), value));
		return copy;
	}

}
