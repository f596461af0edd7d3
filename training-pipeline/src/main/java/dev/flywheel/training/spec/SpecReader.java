package dev.flywheel.training.spec;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import dev.flywheel.training.InvalidInputException;
import dev.flywheel.training.spec.TrainingSpec.DatasetSpec;
import dev.flywheel.training.spec.TrainingSpec.EarlyStopping;
import dev.flywheel.training.spec.TrainingSpec.FeedbackSpec;
import dev.flywheel.training.spec.TrainingSpec.GateSpec;
import dev.flywheel.training.spec.TrainingSpec.HiddenLayer;
import dev.flywheel.training.spec.TrainingSpec.NetworkSpec;
import dev.flywheel.training.spec.TrainingSpec.SplitSpec;
import dev.flywheel.training.spec.TrainingSpec.TrainingSettings;

/**
 * Reads a training spec (YAML) strictly: every key known, every value of the right type and within its range, all
 * checked before any work starts. Relative paths are resolved against the spec's directory.
 */
public final class SpecReader {

	static final Set<String> ACTIVATIONS = Set.of("relu", "leakyrelu", "tanh", "sigmoid", "elu", "gelu", "swish",
			"identity", "softplus");

	static final Set<String> UPDATERS = Set.of("adam", "sgd", "nesterovs", "rmsprop", "adagrad", "nadam");

	static final Set<String> STOPPING_METRICS = Set.of("validation_loss", "validation_accuracy");

	private SpecReader() {
	}

	public static TrainingSpec read(Path file) {
		return read(file, file.toAbsolutePath().getParent());
	}

	/** Reads a spec whose relative paths are relative to {@code base} rather than to the file's own directory. */
	public static TrainingSpec read(Path file, Path base) {
		SpecSection root = new SpecSection(file, "", load(file));
		root.allowOnly("model", "dataset", "split", "network", "training", "seed", "gate", "registry", "feedback");

		SpecSection dataset = root.section("dataset").allowOnly("path", "label", "features", "categorical");
		DatasetSpec datasetSpec = new DatasetSpec(base.resolve(dataset.string("path")).normalize(),
				dataset.string("label"), dataset.strings("features"), dataset.strings("categorical"));

		SpecSection split = root.section("split").allowOnly("test", "validation", "stratify");
		SplitSpec splitSpec = new SplitSpec(split.fraction("test", 0.2), split.fraction("validation", 0.1),
				split.bool("stratify", true));
		if (splitSpec.test() <= 0 || splitSpec.test() + splitSpec.validation() >= 0.9) {
			throw split.problem("test", "and split.validation must leave at least 10% of the rows for training and "
					+ "keep a test share above 0; got test " + splitSpec.test() + ", validation "
					+ splitSpec.validation());
		}

		SpecSection network = root.section("network").allowOnly("hidden", "l2");
		List<HiddenLayer> hidden = new ArrayList<>();
		for (SpecSection layer : network.has("hidden") ? network.sections("hidden") : List.<SpecSection>of()) {
			layer.allowOnly("units", "activation", "dropout");
			String activation = layer.string("activation", "relu").toLowerCase();
			if (!ACTIVATIONS.contains(activation)) {
				throw layer.problem("activation", "must be one of " + ACTIVATIONS + ", got '" + activation + "'");
			}
			hidden.add(new HiddenLayer(layer.positiveInt("units", 16), activation, layer.fraction("dropout", 0)));
		}
		double l2 = network.number("l2", 0);
		if (l2 < 0) {
			throw network.problem("l2", "must not be negative, got " + l2);
		}

		SpecSection training = root.section("training")
			.allowOnly("updater", "learning_rate", "epochs", "batch_size", "early_stopping");
		String updater = training.string("updater", "adam").toLowerCase();
		if (!UPDATERS.contains(updater)) {
			throw training.problem("updater", "must be one of " + UPDATERS + ", got '" + updater + "'");
		}
		double learningRate = training.number("learning_rate", 0.01);
		if (learningRate <= 0 || learningRate > 10) {
			throw training.problem("learning_rate", "must be above 0 and at most 10, got " + learningRate);
		}
		SpecSection stopping = training.section("early_stopping").allowOnly("metric", "patience");
		EarlyStopping earlyStopping = null;
		if (training.has("early_stopping")) {
			String metric = stopping.string("metric", "validation_loss");
			if (!STOPPING_METRICS.contains(metric)) {
				throw stopping.problem("metric", "must be one of " + STOPPING_METRICS + ", got '" + metric + "'");
			}
			earlyStopping = new EarlyStopping(metric, stopping.positiveInt("patience", 20));
		}
		TrainingSettings settings = new TrainingSettings(updater, learningRate, training.positiveInt("epochs", 100),
				training.positiveInt("batch_size", 32), earlyStopping);

		SpecSection gate = root.section("gate").allowOnly("min", "max", "max_drop_vs_champion");
		GateSpec gateSpec = new GateSpec(gate.numbers("min"), gate.numbers("max"), gate.numbers("max_drop_vs_champion"));

		URI registry = null;
		if (root.has("registry")) {
			try {
				registry = URI.create(root.string("registry"));
			}
			catch (IllegalArgumentException ex) {
				throw root.problem("registry", "must be a URL such as http://127.0.0.1:5000: " + ex.getMessage());
			}
		}

		FeedbackSpec feedback = null;
		if (root.has("feedback")) {
			SpecSection section = root.section("feedback").allowOnly("path", "parent_version");
			feedback = new FeedbackSpec(base.resolve(section.string("path")).normalize(),
					section.has("parent_version") ? String.valueOf(section.integer("parent_version", 0)) : null);
		}

		String model = root.string("model");
		if (!model.matches("[\\w.\\- ]{1,256}")) {
			throw root.problem("model", "must be a registered model name (letters, digits, '_', '-', '.', spaces), "
					+ "got '" + model + "'");
		}
		return new TrainingSpec(model, datasetSpec, splitSpec, new NetworkSpec(hidden, l2), settings,
				root.integer("seed", 42), gateSpec, registry, feedback);
	}

	/**
	 * Every value of the spec file under its full key ({@code training.learning_rate}, {@code network.hidden.0.units}),
	 * as MLflow params: the whole spec, flattened.
	 */
	public static Map<String, String> flatten(Path file) {
		Map<String, String> flat = new java.util.TreeMap<>();
		flatten("", load(file), flat);
		return flat;
	}

	private static void flatten(String prefix, Object value, Map<String, String> flat) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, child) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child, flat));
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				flatten(prefix + "." + i, list.get(i), flat);
			}
			if (list.isEmpty()) {
				flat.put(prefix, "[]");
			}
		}
		else {
			flat.put(prefix, String.valueOf(value));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> load(Path file) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			if (!(document instanceof Map<?, ?> map)) {
				throw new InvalidInputException(file + ": a training spec must be a YAML mapping of keys to values");
			}
			return (Map<String, Object>) map;
		}
		catch (NoSuchFileException ex) {
			throw new InvalidInputException(file + ": no such spec file");
		}
		catch (YAMLException ex) {
			throw new InvalidInputException(file + ": not valid YAML: " + ex.getMessage().replace('\n', ' '));
		}
		catch (IOException ex) {
			throw new InvalidInputException(file + ": cannot be read: " + ex.getMessage());
		}
	}

}
