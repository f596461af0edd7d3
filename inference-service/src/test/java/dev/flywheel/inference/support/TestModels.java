package dev.flywheel.inference.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.mlflow.tracking.MlflowClient;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.bundle.Lineage;
import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.Signature.Input;
import dev.flywheel.bundle.registry.RegistryClient;

/**
 * Real DL4J models in real bundles, made in a second: a network with seeded random weights and a normalizer fitted
 * on seeded random rows. Different seeds give visibly different outputs, so a test can tell which version computed
 * an answer.
 */
public final class TestModels {

	/** Four numeric features and three classes, like iris. */
	public static final Signature IRIS = new Signature(
			List.of(Input.numeric("sepal_length"), Input.numeric("sepal_width"), Input.numeric("petal_length"),
					Input.numeric("petal_width")),
			Signature.Output.classification(List.of("setosa", "versicolor", "virginica")));

	/** A number and a category (one-hot over two columns), two classes. */
	public static final Signature MIXED = new Signature(
			List.of(Input.numeric("size"), Input.categorical("garden", List.of("kew", "wisley"))),
			Signature.Output.classification(List.of("no", "yes")));

	/** Three iris flowers, one of each species. */
	public static final float[][] IRIS_ROWS = { { 5.1f, 3.5f, 1.4f, 0.2f }, { 6.7f, 3.0f, 5.2f, 2.3f },
			{ 5.9f, 3.0f, 4.2f, 1.5f } };

	private TestModels() {
	}

	/** A bundle for {@code signature} with {@code width} encoded input columns, its weights drawn from {@code seed}. */
	public static Bundle bundle(Path directory, Signature signature, int width, long seed) throws IOException {
		int classes = signature.output().classes().size();
		MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(seed)
			.updater(new Sgd(0.1))
			.list()
			.layer(new DenseLayer.Builder().nIn(width).nOut(8).activation(Activation.TANH).build())
			.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8)
				.nOut(classes)
				.activation(Activation.SOFTMAX)
				.build())
			.build();
		MultiLayerNetwork network = new MultiLayerNetwork(configuration);
		network.init();
		Random random = new Random(seed);
		float[] rows = new float[64 * width];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = (float) (5 + 2 * random.nextGaussian());
		}
		NormalizerStandardize normalizer = new NormalizerStandardize();
		normalizer.fit(new DataSet(Nd4j.create(rows, new long[] { 64, width }, 'c'), Nd4j.zeros(64, classes)));
		Path zip = Files.createTempFile("test-model-", ".zip");
		try {
			ModelSerializer.writeModel(network, zip.toFile(), false);
			ModelSerializer.addNormalizerToModel(zip.toFile(), normalizer);
			return bundle(directory, zip, signature, seed);
		}
		finally {
			Files.deleteIfExists(zip);
		}
	}

	/** A bundle around any model file, which need not hold a DL4J model (a bundle only needs it to be a zip). */
	public static Bundle bundle(Path directory, Path modelZip, Signature signature, long seed) {
		return Bundle.write(directory, modelZip, signature, profile(signature), metrics(signature), lineage(seed));
	}

	/** A well-formed, verifiable bundle for {@link #IRIS} whose model.zip is a zip of text, not a DL4J model. */
	public static Bundle notAModel(Path directory) throws IOException {
		Path zip = Files.createTempFile("not-a-model-", ".zip");
		try {
			try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
				out.putNextEntry(new ZipEntry("README.txt"));
				out.write("this is not a neural network".getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
			return bundle(directory, zip, IRIS, 0);
		}
		finally {
			Files.deleteIfExists(zip);
		}
	}

	public static Bundle iris(Path directory, long seed) throws IOException {
		return bundle(directory, IRIS, 4, seed);
	}

	public static Bundle mixed(Path directory, long seed) throws IOException {
		return bundle(directory, MIXED, 3, seed);
	}

	/** What DL4J itself computes for {@code encoded} rows with the model in {@code bundle}: the reference answer. */
	public static float[][] reference(Bundle bundle, float[][] encoded) throws IOException {
		Pair<MultiLayerNetwork, Normalizer> restored = ModelSerializer
			.restoreMultiLayerNetworkAndNormalizer(bundle.modelFile().toFile(), false);
		INDArray input = Nd4j.create(encoded);
		((DataNormalization) restored.getSecond()).transform(input);
		return restored.getFirst().output(input).toFloatMatrix();
	}

	/** Registers {@code bundle} as a new version of {@code model}; returns the version number. */
	public static String publish(String registryUrl, String model, Bundle bundle) {
		String runId = new MlflowClient(registryUrl).createRun().getRunId();
		return client(registryUrl).publish(bundle, model, runId, Map.of()).version();
	}

	/** Registers {@code model} without any version. */
	public static void createModel(String registryUrl, String model) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/api/2.0/mlflow/registered-models/create"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + model + "\"}"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Cannot register " + model + ": " + response.statusCode() + " "
					+ response.body());
		}
	}

	public static void setAlias(String registryUrl, String model, String alias, String version) {
		client(registryUrl).setAlias(model, alias, version);
	}

	/** Sets a tag of a model version through MLflow's REST API, as any MLflow client can. */
	public static void setVersionTag(String registryUrl, String model, String version, String key, String value) {
		new MlflowClient(registryUrl).sendPost("model-versions/set-tag", JsonMapper.builder()
			.build()
			.writeValueAsString(Map.of("name", model, "version", version, "key", key, "value", value)));
	}

	public static RegistryClient client(String registryUrl) {
		return new RegistryClient(URI.create(registryUrl), null, Duration.ofSeconds(30));
	}

	private static ReferenceProfile profile(Signature signature) {
		double[] values = { 4.9, 5.1, 5.8, 6.3, 6.7, 7.0 };
		Map<String, ReferenceProfile.NumericFeature> numeric = new java.util.HashMap<>();
		Map<String, ReferenceProfile.CategoricalFeature> categorical = new java.util.HashMap<>();
		for (Input input : signature.inputs()) {
			if (input.type() == Signature.FeatureType.CATEGORY) {
				categorical.put(input.name(), new ReferenceProfile.CategoricalFeature(
						Map.of(input.categories().get(0), 4L, input.categories().get(1), 2L), 0.0));
			}
			else {
				numeric.put(input.name(), ReferenceProfile.NumericFeature.of(values, 3));
			}
		}
		Map<String, Long> predicted = new java.util.HashMap<>();
		signature.output().classes().forEach(c -> predicted.put(c, 2L));
		return new ReferenceProfile(6, numeric, categorical, new ReferenceProfile.Predictions(predicted, null));
	}

	private static HeldOutMetrics metrics(Signature signature) {
		int classes = signature.output().classes().size();
		List<List<Long>> confusion = new java.util.ArrayList<>();
		for (int i = 0; i < classes; i++) {
			List<Long> row = new java.util.ArrayList<>();
			for (int j = 0; j < classes; j++) {
				row.add(i == j ? 2L : 0L);
			}
			confusion.add(row);
		}
		return new HeldOutMetrics(2L * classes, Map.of("accuracy", 1.0), Map.of(), confusion);
	}

	private static Lineage lineage(long seed) {
		String now = java.time.Instant.now().toString();
		return new Lineage(List.of(new Lineage.Dataset("random", "ab".repeat(32), 64, "base")), "cd".repeat(32), seed,
				new Lineage.Code("test", "unknown"),
				new Lineage.Runtime(System.getProperty("java.version"), "1.0.0-M2.1", "Linux", "amd64", 1, "unknown",
						"test"),
				null, null, now, now);
	}

}
