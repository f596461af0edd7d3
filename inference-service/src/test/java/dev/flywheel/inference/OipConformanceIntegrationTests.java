package dev.flywheel.inference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.inference.support.Http;
import dev.flywheel.inference.support.Http.Answer;
import dev.flywheel.inference.support.InferenceServer;
import dev.flywheel.inference.support.ServingFixture;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every endpoint and error case of the Open Inference Protocol v2 REST API as {@code reference/open-inference-protocol.md}
 * describes it, with the status codes we follow: 404 for an unknown model or version, 400 for a request that does not
 * fit, 503 with {@code Retry-After} when not ready, and always a {@code {"error": "..."}} body naming the problem.
 */
class OipConformanceIntegrationTests {

	private static final String UNVERSIONED = ServingFixture.UNVERSIONED;

	private static final List<String> IRIS_FEATURES = List.of("sepal_length", "sepal_width", "petal_length",
			"petal_width");

	private static final float[][] ROWS = TestModels.IRIS_ROWS;

	private static ServingFixture fixture;

	private static WebTestClient client;

	private static InferenceServer unready;

	private static float[][] v1;

	private static float[][] v2;

	@BeforeAll
	static void serve() throws Exception {
		fixture = ServingFixture.get();
		client = fixture.server.client();
		v1 = fixture.irisV1Outputs;
		v2 = fixture.irisV2Outputs;
		assertThat(v1[0][0]).isNotCloseTo(v2[0][0], within(1e-3f));
		unready = fixture.unready();
	}

	// ---- server metadata and health

	@Test
	void serverMetadataHasNameVersionAndExtensions() {
		Answer answer = Http.get(client, "/v2");
		assertThat(answer.status()).isEqualTo(200);
		JsonNode metadata = answer.json();
		assertThat(metadata.get("name").asString()).isEqualTo("flywheel-inference");
		assertThat(metadata.get("version").isString()).isTrue();
		assertThat(metadata.get("version").asString()).isNotBlank();
		assertThat(metadata.get("extensions").isArray()).isTrue();
	}

	@Test
	void serverIsLiveAndReadyWhenEveryModelHasItsChampion() {
		Answer live = Http.get(client, "/v2/health/live");
		assertThat(live.status()).isEqualTo(200);
		assertThat(live.json().get("live").asBoolean()).isTrue();
		Answer ready = Http.get(client, "/v2/health/ready");
		assertThat(ready.status()).isEqualTo(200);
		assertThat(ready.json().get("ready").asBoolean()).isTrue();
	}

	@Test
	void serverIsLiveButNotReadyWhileAModelHasNoChampion() {
		assertThat(Http.get(unready.client(), "/v2/health/live").status()).isEqualTo(200);
		String error = Http.error(Http.get(unready.client(), "/v2/health/ready"), 503);
		assertThat(error).contains(UNVERSIONED, "champion");
	}

	@Test
	void modelWithoutChampionIsNotReady() {
		WebTestClient unreadyClient = unready.client();
		assertThat(Http.error(Http.get(unreadyClient, "/v2/models/" + UNVERSIONED + "/ready"), 503))
			.contains(UNVERSIONED, "champion");
		assertThat(Http.error(Http.get(unreadyClient, "/v2/models/" + UNVERSIONED), 503)).contains(UNVERSIONED);
		assertThat(Http.error(Http.postJson(unreadyClient, "/v2/models/" + UNVERSIONED + "/infer",
				matrixRequest(ROWS, false)), 503)).contains(UNVERSIONED);
	}

	// ---- model metadata and readiness

	@Test
	void modelMetadataDescribesInputsOutputsPlatformAndVersions() {
		JsonNode metadata = ok(Http.get(client, "/v2/models/iris"));
		assertThat(metadata.get("name").asString()).isEqualTo("iris");
		assertThat(metadata.get("platform").asString()).isEqualTo("dl4j_zip");
		assertThat(strings(metadata.get("versions"))).containsExactly("1", "2");
		assertThat(metadata.get("inputs")).hasSize(4);
		for (int i = 0; i < 4; i++) {
			assertTensor(metadata.get("inputs").get(i), IRIS_FEATURES.get(i), "FP64", -1);
		}
		assertThat(metadata.get("outputs")).hasSize(3);
		assertTensor(metadata.get("outputs").get(0), "label", "BYTES", -1);
		assertTensor(metadata.get("outputs").get(1), "probabilities", "FP32", -1, 3);
		assertTensor(metadata.get("outputs").get(2), "prediction_id", "BYTES", -1);
		assertThat(strings(metadata.get("classes"))).containsExactly("setosa", "versicolor", "virginica");
		assertThat(metadata.get("parameters").get("version").asString()).isEqualTo("1");
		assertThat(metadata.get("parameters").get("bundle_digest").asString()).isEqualTo(fixture.irisV1.digest());
	}

	@Test
	void modelMetadataDeclaresCategoricalFeaturesAsBytes() {
		JsonNode metadata = ok(Http.get(client, "/v2/models/mixed"));
		assertThat(strings(metadata.get("versions"))).containsExactly("1");
		assertTensor(metadata.get("inputs").get(0), "size", "FP64", -1);
		assertTensor(metadata.get("inputs").get(1), "garden", "BYTES", -1);
		assertTensor(metadata.get("outputs").get(1), "probabilities", "FP32", -1, 2);
	}

	@Test
	void modelMetadataOfAVersionNamedByNumberOrAlias() {
		Map<String, String> versions = Map.of("/v2/models/iris/versions/1", "1", "/v2/models/iris/versions/champion",
				"1", "/v2/models/iris/versions/2", "2", "/v2/models/iris/versions/challenger", "2");
		versions.forEach((path, version) -> {
			JsonNode metadata = ok(Http.get(client, path));
			assertThat(metadata.get("name").asString()).as(path).isEqualTo("iris");
			assertThat(metadata.get("parameters").get("version").asString()).as(path).isEqualTo(version);
			assertThat(metadata.get("parameters").get("bundle_digest").asString()).as(path)
				.isEqualTo((version.equals("1") ? fixture.irisV1 : fixture.irisV2).digest());
			assertThat(metadata.get("inputs")).as(path).hasSize(4);
		});
	}

	@Test
	void modelIsReadyByNameVersionNumberAndAlias() {
		for (String path : List.of("/v2/models/iris/ready", "/v2/models/iris/versions/1/ready",
				"/v2/models/iris/versions/2/ready", "/v2/models/iris/versions/champion/ready",
				"/v2/models/iris/versions/challenger/ready", "/v2/models/mixed/ready")) {
			JsonNode ready = ok(Http.get(client, path));
			assertThat(ready.get("ready").asBoolean()).as(path).isTrue();
		}
		assertThat(ok(Http.get(client, "/v2/models/mixed/ready")).get("name").asString()).isEqualTo("mixed");
	}

	static Stream<Arguments> unknownModelOrVersion() {
		return Stream.of(arguments("GET", "/v2/models/nope", "'nope'"), arguments("GET", "/v2/models/nope/ready", "'nope'"),
				arguments("GET", "/v2/models/nope/versions/1", "'nope'"),
				arguments("GET", "/v2/models/nope/versions/1/ready", "'nope'"),
				arguments("POST", "/v2/models/nope/infer", "'nope'"),
				arguments("POST", "/v2/models/nope/versions/1/infer", "'nope'"),
				arguments("GET", "/v2/models/iris/versions/9", "'9'"),
				arguments("GET", "/v2/models/iris/versions/9/ready", "'9'"),
				arguments("POST", "/v2/models/iris/versions/9/infer", "'9'"),
				arguments("GET", "/v2/models/iris/versions/staging/ready", "'staging'"),
				arguments("POST", "/v2/models/iris/versions/staging/infer", "'staging'"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("unknownModelOrVersion")
	void unknownModelOrVersionIsNotFound(String method, String path, String named) {
		Answer answer = method.equals("GET") ? Http.get(client, path)
				: Http.postJson(client, path, matrixRequest(ROWS, false));
		assertThat(Http.error(answer, 404)).contains(named);
	}

	@Test
	void versionServedButNotLoadedYetIsUnavailableWithRetryAfter() {
		// mixed has no challenger in the registry; the service serves challengers, so it would load one
		assertThat(Http.error(Http.get(client, "/v2/models/mixed/versions/challenger/ready"), 503))
			.contains("mixed", "'challenger'");
		assertThat(Http.error(Http.get(client, "/v2/models/mixed/versions/challenger"), 503)).contains("'challenger'");
		assertThat(Http.error(Http.postJson(client, "/v2/models/mixed/versions/challenger/infer",
				mixedRequest("[1]", "[4.5]", "[\"kew\"]")), 503))
			.contains("'challenger'");
	}

	// ---- inference

	@Test
	void infersByNameVersionNumberAndAlias() {
		Map<String, String> versions = Map.of("/v2/models/iris/infer", "1", "/v2/models/iris/versions/1/infer", "1",
				"/v2/models/iris/versions/champion/infer", "1", "/v2/models/iris/versions/2/infer", "2",
				"/v2/models/iris/versions/challenger/infer", "2");
		versions.forEach((path, version) -> {
			JsonNode answer = ok(Http.postJson(client, path, featureRequest(ROWS, false, false)));
			assertAnswer(answer, "iris", version, version.equals("1") ? v1 : v2);
		});
	}

	@Test
	void echoesTheRequestIdOrMakesOneUp() {
		String request = featureRequest(ROWS, false, false);
		JsonNode echoed = ok(Http.postJson(client, "/v2/models/iris/infer",
				"{\"id\": \"request-42\", " + request.substring(1)));
		assertThat(echoed.get("id").asString()).isEqualTo("request-42");
		JsonNode made = ok(Http.postJson(client, "/v2/models/iris/infer", request));
		assertThat(made.get("id").asString()).isNotBlank();
	}

	@Test
	void singleRowCarriesItsPredictionIdInTheParameters() {
		JsonNode answer = ok(Http.postJson(client, "/v2/models/iris/infer", featureRequest(new float[][] { ROWS[1] },
				false, false)));
		assertAnswer(answer, "iris", "1", new float[][] { v1[1] });
		String predictionId = output(answer, "prediction_id").get("data").get(0).asString();
		assertThat(answer.get("parameters").get("prediction_id").asString()).isEqualTo(predictionId);
	}

	@Test
	void returnsOnlyTheRequestedOutputs() {
		String request = featureRequest(ROWS, false, false);
		JsonNode answer = ok(Http.postJson(client, "/v2/models/iris/infer",
				request.substring(0, request.length() - 1) + ", \"outputs\": [{\"name\": \"probabilities\"}]}"));
		assertThat(answer.get("outputs")).hasSize(1);
		assertProbabilities(output(answer, "probabilities"), v1);
		JsonNode labels = ok(Http.postJson(client, "/v2/models/iris/infer",
				request.substring(0, request.length() - 1) + ", \"outputs\": [{\"name\": \"label\"}]}"));
		assertThat(labels.get("outputs")).hasSize(1);
		assertThat(output(labels, "label").get("name").asString()).isEqualTo("label");
	}

	static Stream<Arguments> inputForms() {
		return Stream.of(arguments("one input per feature, shape [n]", featureRequest(ROWS, false, false)),
				arguments("one input per feature, shape [n, 1], flat data", featureRequest(ROWS, true, false)),
				arguments("one input per feature, shape [n, 1], nested data", featureRequest(ROWS, true, true)),
				arguments("features in another order than the signature's", reversedFeatureRequest(ROWS)),
				arguments("one 'input' matrix [n, 4], flat data", matrixRequest(ROWS, false)),
				arguments("one 'input' matrix [n, 4], nested data", matrixRequest(ROWS, true)),
				arguments("one 'input' matrix of datatype FP64", matrixRequest(ROWS, true).replace("FP32", "FP64")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("inputForms")
	void everyInputFormGivesDl4jsAnswer(String form, String request) {
		assertAnswer(ok(Http.postJson(client, "/v2/models/iris/infer", request)), "iris", "1", v1);
	}

	@Test
	void categoricalFeatureComesAsBytes() throws Exception {
		float[][] expected = TestModels.reference(fixture.mixedV1, new float[][] { { 4.5f, 1, 0 }, { 7.5f, 0, 1 } });
		JsonNode answer = ok(Http.postJson(client, "/v2/models/mixed/infer",
				mixedRequest("[2]", "[4.5, 7.5]", "[\"kew\", \"wisley\"]")));
		assertThat(answer.get("model_name").asString()).isEqualTo("mixed");
		assertProbabilities(output(answer, "probabilities"), expected);
		JsonNode integers = ok(Http.postJson(client, "/v2/models/mixed/infer",
				mixedRequest("[2, 1]", "[[4.5], [7.5]]", "[[\"kew\"], [\"wisley\"]]").replace("FP64", "INT64")
					.replace("4.5", "4")
					.replace("7.5", "8")));
		float[][] rounded = TestModels.reference(fixture.mixedV1, new float[][] { { 4, 1, 0 }, { 8, 0, 1 } });
		assertProbabilities(output(integers, "probabilities"), rounded);
	}

	// ---- requests that do not fit: 400, naming the problem

	static Stream<Arguments> badRequests() {
		String sepalWidth = input("sepal_width", "[1]", "FP32", "[3.5]");
		String petalLength = input("petal_length", "[1]", "FP32", "[1.4]");
		String petalWidth = input("petal_width", "[1]", "FP32", "[0.2]");
		return Stream.of(
				arguments("shape and data size disagree", "iris",
						request(input("sepal_length", "[3]", "FP32", "[5.1, 4.9]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "[3]", "2")),
				arguments("matrix shape and data size disagree", "iris",
						request(input("input", "[2, 4]", "FP32", "[1, 2, 3, 4, 5, 6, 7]")), List.of("'input'", "7")),
				arguments("matrix of the wrong width", "iris",
						request(input("input", "[2, 3]", "FP32", "[1, 2, 3, 4, 5, 6]")),
						List.of("'input'", "[2, 3]", "4")),
				arguments("matrix for a model with a categorical feature", "mixed",
						request(input("input", "[1, 2]", "FP32", "[1, 2]")), List.of("'input'", "garden")),
				arguments("matrix of BYTES", "iris", request(input("input", "[1, 4]", "BYTES", "[\"1\", \"2\", \"3\", \"4\"]")),
						List.of("'input'", "BYTES")),
				arguments("feature input of shape [n, 2]", "iris",
						request(input("sepal_length", "[1, 2]", "FP32", "[5.1, 5.2]"), sepalWidth, petalLength,
								petalWidth),
						List.of("'sepal_length'", "[1, 2]")),
				arguments("BYTES for a number", "iris",
						request(input("sepal_length", "[1]", "BYTES", "[\"5.1\"]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "BYTES", "number")),
				arguments("FP32 for a category", "mixed",
						request(input("size", "[1]", "FP32", "[4.5]"), input("garden", "[1]", "FP32", "[1]")),
						List.of("'garden'", "FP32", "categorical")),
				arguments("an unknown datatype", "iris",
						request(input("sepal_length", "[1]", "FLOAT32", "[5.1]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "FLOAT32")),
				arguments("a string in FP32 data", "iris",
						request(input("sepal_length", "[1]", "FP32", "[\"wide\"]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "\"wide\"", "FP32")),
				arguments("1.5 in INT64 data", "iris",
						request(input("sepal_length", "[1]", "INT64", "[1.5]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "1.5", "INT64")),
				arguments("an unknown input", "iris",
						request(input("sepal_length", "[1]", "FP32", "[5.1]"), sepalWidth, petalLength, petalWidth,
								input("colour", "[1]", "FP32", "[1]")),
						List.of("'colour'")),
				arguments("a missing input", "iris",
						request(input("sepal_length", "[1]", "FP32", "[5.1]"), sepalWidth, petalLength),
						List.of("petal_width")),
				arguments("a duplicate input", "iris",
						request(input("sepal_length", "[1]", "FP32", "[5.1]"), sepalWidth, petalLength, petalWidth,
								input("sepal_length", "[1]", "FP32", "[5.1]")),
						List.of("'sepal_length'", "twice")),
				arguments("inputs with different row counts", "iris",
						request(input("sepal_length", "[2]", "FP32", "[5.1, 4.9]"), sepalWidth, petalLength, petalWidth),
						List.of("'sepal_length'", "'sepal_width'", "rows")),
				arguments("an unknown requested output", "iris",
						"{\"inputs\": [" + input("input", "[1, 4]", "FP32", "[1, 2, 3, 4]")
								+ "], \"outputs\": [{\"name\": \"logits\"}]}",
						List.of("'logits'", "probabilities")),
				arguments("the spec's canonical example (shape [3] with one element)", "iris", """
						{"id": "42", "inputs": [{"name": "input0", "shape": [2, 2], "datatype": "UINT32", "data": [1, 2, 3, 4]},
						{"name": "input1", "shape": [3], "datatype": "BOOL", "data": [true]}],
						"outputs": [{"name": "output0"}]}""", List.of("'input1'", "[3]", "1")),
				arguments("an empty batch", "iris", request(input("input", "[0, 4]", "FP32", "[]")),
						List.of("'input'", "empty")),
				arguments("a negative dimension", "iris", request(input("input", "[-1, 4]", "FP32", "[1, 2, 3, 4]")),
						List.of("'input'", "[-1,4]")),
				arguments("dimensions whose product overflows", "iris",
						request(input("input", "[4611686018427387904, 4]", "FP32", "[1, 2, 3, 4]")),
						List.of("'input'", "4611686018427387904")),
				arguments("a dimension beyond 64 bits", "iris",
						request(input("input", "[36893488147419103232, 4]", "FP32", "[1, 2, 3, 4]")),
						List.of("'input'", "36893488147419103232")),
				arguments("an input without data", "iris",
						"{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\"}]}",
						List.of("'input'", "'data'")),
				arguments("an input without a name", "iris",
						"{\"inputs\": [{\"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
						List.of("'name'")),
				arguments("no inputs", "iris", "{\"inputs\": []}", List.of("'inputs'")),
				arguments("inputs that are not a list", "iris", "{\"inputs\": {\"input\": [1, 2, 3, 4]}}",
						List.of("'inputs'", "array")),
				arguments("an id that is not a string", "iris",
						"{\"id\": 42, \"inputs\": [" + input("input", "[1, 4]", "FP32", "[1, 2, 3, 4]") + "]}",
						List.of("'id'")),
				arguments("a body that is not an object", "iris", "[1, 2, 3, 4]", List.of("object")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void requestThatDoesNotFitIsABadRequestNamingTheProblem(String problem, String model, String request,
			List<String> named) {
		String error = Http.error(Http.postJson(client, "/v2/models/" + model + "/infer", request), 400);
		assertThat(error).contains(named);
	}

	// ---- helpers

	private static JsonNode ok(Answer answer) {
		assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		return answer.json();
	}

	private static void assertAnswer(JsonNode answer, String model, String version, float[][] expected) {
		assertThat(answer.get("model_name").asString()).isEqualTo(model);
		assertThat(answer.get("model_version").asString()).isEqualTo(version);
		assertThat(answer.get("id").asString()).isNotBlank();
		List<String> names = new ArrayList<>();
		answer.get("outputs").forEach(output -> names.add(output.get("name").asString()));
		assertThat(names).containsExactly("label", "probabilities", "prediction_id");
		JsonNode label = output(answer, "label");
		assertThat(label.get("datatype").asString()).isEqualTo("BYTES");
		assertThat(ints(label.get("shape"))).containsExactly(expected.length);
		List<String> classes = List.of("setosa", "versicolor", "virginica");
		for (int row = 0; row < expected.length; row++) {
			assertThat(label.get("data").get(row).asString()).isEqualTo(classes.get(argmax(expected[row])));
		}
		assertProbabilities(output(answer, "probabilities"), expected);
		JsonNode ids = output(answer, "prediction_id");
		assertThat(ids.get("datatype").asString()).isEqualTo("BYTES");
		assertThat(ints(ids.get("shape"))).containsExactly(expected.length);
		assertThat(new HashSet<>(strings(ids.get("data")))).hasSize(expected.length);
	}

	private static void assertProbabilities(JsonNode probabilities, float[][] expected) {
		assertThat(probabilities.get("datatype").asString()).isEqualTo("FP32");
		assertThat(ints(probabilities.get("shape"))).containsExactly(expected.length, expected[0].length);
		JsonNode data = probabilities.get("data");
		assertThat(data).hasSize(expected.length * expected[0].length);
		for (int row = 0; row < expected.length; row++) {
			for (int c = 0; c < expected[row].length; c++) {
				assertThat(data.get(row * expected[row].length + c).floatValue()).as("row %d class %d", row, c)
					.isCloseTo(expected[row][c], within(1e-6f));
			}
		}
	}

	private static void assertTensor(JsonNode tensor, String name, String datatype, Integer... shape) {
		assertThat(tensor.get("name").asString()).isEqualTo(name);
		assertThat(tensor.get("datatype").asString()).as(name).isEqualTo(datatype);
		assertThat(ints(tensor.get("shape"))).as(name).containsExactly(shape);
	}

	private static JsonNode output(JsonNode answer, String name) {
		for (JsonNode output : answer.get("outputs")) {
			if (output.get("name").asString().equals(name)) {
				return output;
			}
		}
		throw new AssertionError("No output '" + name + "' in " + answer);
	}

	private static int argmax(float[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++) {
			best = values[i] > values[best] ? i : best;
		}
		return best;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach(value -> values.add(value.asString()));
		return values;
	}

	private static List<Integer> ints(JsonNode array) {
		List<Integer> values = new ArrayList<>();
		array.forEach(value -> values.add(value.intValue()));
		return values;
	}

	static String input(String name, String shape, String datatype, String data) {
		return "{\"name\": \"%s\", \"shape\": %s, \"datatype\": \"%s\", \"data\": %s}".formatted(name, shape, datatype,
				data);
	}

	static String request(String... inputs) {
		return "{\"inputs\": [" + String.join(", ", inputs) + "]}";
	}

	/** One FP32 input per iris feature, of shape [n] or [n, 1] (then flat or nested data). */
	static String featureRequest(float[][] rows, boolean column, boolean nested) {
		List<String> inputs = new ArrayList<>();
		for (int feature = 0; feature < 4; feature++) {
			inputs.add(input(IRIS_FEATURES.get(feature), column ? "[" + rows.length + ", 1]" : "[" + rows.length + "]",
					"FP32", values(rows, feature, nested)));
		}
		return request(inputs.toArray(String[]::new));
	}

	private static String reversedFeatureRequest(float[][] rows) {
		List<String> inputs = new ArrayList<>();
		for (int feature = 3; feature >= 0; feature--) {
			inputs.add(input(IRIS_FEATURES.get(feature), "[" + rows.length + "]", "FP64", values(rows, feature, false)));
		}
		return request(inputs.toArray(String[]::new));
	}

	/** The single 'input' matrix of shape [n, 4], its data flat or one list per row. */
	static String matrixRequest(float[][] rows, boolean nested) {
		StringBuilder data = new StringBuilder("[");
		for (int row = 0; row < rows.length; row++) {
			data.append(row > 0 ? ", " : "").append(nested ? "[" : "");
			for (int feature = 0; feature < 4; feature++) {
				data.append(feature > 0 ? ", " : "").append(rows[row][feature]);
			}
			data.append(nested ? "]" : "");
		}
		return request(input("input", "[" + rows.length + ", 4]", "FP32", data.append("]").toString()));
	}

	private static String mixedRequest(String shape, String sizes, String gardens) {
		return request(input("size", shape, "FP64", sizes), input("garden", shape, "BYTES", gardens));
	}

	private static String values(float[][] rows, int feature, boolean nested) {
		StringBuilder data = new StringBuilder("[");
		for (int row = 0; row < rows.length; row++) {
			data.append(row > 0 ? ", " : "")
				.append(nested ? "[" + rows[row][feature] + "]" : String.valueOf(rows[row][feature]));
		}
		return data.append("]").toString();
	}

}
