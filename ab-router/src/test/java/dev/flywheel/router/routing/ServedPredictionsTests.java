package dev.flywheel.router.routing;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers shaped as the inference service writes them (snake_case, null fields left out). */
class ServedPredictionsTests {

	private static ServedPredictions read(Protocol protocol, String answer) {
		return ServedPredictions.read(protocol, answer.getBytes(StandardCharsets.UTF_8));
	}

	private static JsonNode json(byte[] bytes) {
		return ServedPredictions.JSON.readTree(bytes);
	}

	@Test
	void readsAnOipAnswerOfSeveralRows() {
		ServedPredictions served = read(Protocol.OIP, """
				{"model_name":"digits","model_version":"3","id":"req-1","parameters":{},"outputs":[
				 {"name":"label","shape":[2],"datatype":"BYTES","data":["7","1"]},
				 {"name":"probabilities","shape":[2,10],"datatype":"FP32","data":[0.1,0.2]},
				 {"name":"prediction_id","shape":[2],"datatype":"BYTES","data":["p-1","p-2"]}]}
				""");

		assertThat(served.modelVersion()).isEqualTo("3");
		assertThat(served.predictionIds()).containsExactly("p-1", "p-2");
		assertThat(served.labels()).containsExactly("7", "1");
		assertThat(served.rows()).isEqualTo(2);
	}

	@Test
	void takesTheIdOfAOneRowOipAnswerFromItsParameters() {
		ServedPredictions served = read(Protocol.OIP, """
				{"model_name":"digits","model_version":"3","id":"p-9","parameters":{"prediction_id":"p-9"},
				 "outputs":[{"name":"label","shape":[1],"datatype":"BYTES","data":["4"]}]}
				""");

		assertThat(served.predictionIds()).containsExactly("p-9");
		assertThat(served.labels()).containsExactly("4");
	}

	@Test
	void anOipAnswerWithOnlyProbabilitiesHasNoIdsNorLabels() {
		ServedPredictions served = read(Protocol.OIP, """
				{"model_name":"digits","model_version":"3","id":"x","parameters":{},"outputs":[
				 {"name":"probabilities","shape":[2,2],"datatype":"FP32","data":[0.9,0.1,0.3,0.7]}]}
				""");

		assertThat(served.predictionIds()).isEmpty();
		assertThat(served.labels()).isNull();
		assertThat(served.rows()).isZero();
		assertThat(served.modelVersion()).isEqualTo("3");
	}

	@Test
	void readsAPlainClassifierAnswer() {
		ServedPredictions served = read(Protocol.PLAIN, """
				{"predictions":[{"label":"cat","probabilities":{"cat":0.8,"dog":0.2}},
				                {"label":"dog","probabilities":{"cat":0.4,"dog":0.6}}],
				 "model_version":"2","prediction_ids":["p-1","p-2"]}
				""");

		assertThat(served.modelVersion()).isEqualTo("2");
		assertThat(served.predictionIds()).containsExactly("p-1", "p-2");
		assertThat(served.labels()).containsExactly("cat", "dog");
	}

	@Test
	void aPlainRegressionAnswerHasNoLabels() {
		ServedPredictions served = read(Protocol.PLAIN, """
				{"predictions":[{"values":[1.5]},{"values":[2.5]}],"model_version":"2","prediction_ids":["p-1","p-2"]}
				""");

		assertThat(served.predictionIds()).containsExactly("p-1", "p-2");
		assertThat(served.labels()).isNull();
	}

	@Test
	void readsAnMlflowScoringClassifierAnswer() {
		ServedPredictions served = read(Protocol.SCORING, """
				{"predictions":["cat","dog"],"probabilities":[[0.8,0.2],[0.4,0.6]],"classes":["cat","dog"],
				 "model_version":"5","prediction_ids":["p-1","p-2"]}
				""");

		assertThat(served.modelVersion()).isEqualTo("5");
		assertThat(served.predictionIds()).containsExactly("p-1", "p-2");
		assertThat(served.labels()).containsExactly("cat", "dog");
	}

	@Test
	void anMlflowScoringRegressionAnswerHasNoLabels() {
		ServedPredictions served = read(Protocol.SCORING, """
				{"predictions":[1.5,[2.0,3.0]],"model_version":"5","prediction_ids":["p-1","p-2"]}
				""");

		assertThat(served.predictionIds()).containsExactly("p-1", "p-2");
		assertThat(served.labels()).isNull();
	}

	@Test
	void anAnswerThatIsNotAJsonObjectIsNotRead() {
		for (Protocol protocol : Protocol.values()) {
			for (String answer : new String[] { "<html>502</html>", "", "[1,2]", "\"text\"", "{\"predictions\":" }) {
				assertThat(read(protocol, answer)).as(protocol + " " + answer).isNull();
			}
		}
	}

	@Test
	void anOipAnswerCarriesTheTestInItsParametersBesideWhatWasThere() {
		ServedPredictions served = read(Protocol.OIP, """
				{"model_name":"digits","model_version":"3","parameters":{"prediction_id":"p-9"},"outputs":[]}
				""");

		JsonNode answer = json(served.withTest(Protocol.OIP, "checkout-2024", "challenger"));

		assertThat(answer.get("parameters").get("prediction_id").asString()).isEqualTo("p-9");
		assertThat(answer.get("parameters").get("ab_test_id").asString()).isEqualTo("checkout-2024");
		assertThat(answer.get("parameters").get("variant").asString()).isEqualTo("challenger");
		assertThat(answer.has("ab_test_id")).isFalse();
		assertThat(answer.has("variant")).isFalse();
		assertThat(answer.get("model_name").asString()).isEqualTo("digits");
	}

	@Test
	void anOipAnswerWithoutParametersGetsThem() {
		ServedPredictions served = read(Protocol.OIP, "{\"model_name\":\"digits\",\"outputs\":[]}");

		JsonNode answer = json(served.withTest(Protocol.OIP, "t1", "control"));

		assertThat(answer.get("parameters").propertyNames()).containsExactly("ab_test_id", "variant");
		assertThat(answer.get("parameters").get("variant").asString()).isEqualTo("control");
	}

	@Test
	void theOtherProtocolsCarryTheTestAsTopLevelFields() {
		ServedPredictions plain = read(Protocol.PLAIN,
				"{\"predictions\":[{\"label\":\"a\"}],\"model_version\":\"2\",\"prediction_ids\":[\"p-1\"]}");
		ServedPredictions scoring = read(Protocol.SCORING,
				"{\"predictions\":[\"a\"],\"classes\":[\"a\"],\"model_version\":\"2\",\"prediction_ids\":[\"p-1\"]}");

		for (JsonNode answer : new JsonNode[] { json(plain.withTest(Protocol.PLAIN, "t1", "challenger")),
				json(scoring.withTest(Protocol.SCORING, "t1", "challenger")) }) {
			assertThat(answer.get("ab_test_id").asString()).isEqualTo("t1");
			assertThat(answer.get("variant").asString()).isEqualTo("challenger");
			assertThat(answer.get("prediction_ids").get(0).asString()).isEqualTo("p-1");
			assertThat(answer.has("parameters")).isFalse();
		}
	}

}
