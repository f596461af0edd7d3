package dev.flywheel.router.feedback;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.abtest.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FeedbackReaderTests {

	private static List<FieldError> errorsOf(String body) {
		return catchThrowableOfType(InvalidFeedbackException.class, () -> FeedbackReader.read(body)).errors();
	}

	private static List<String> fieldsOf(String body) {
		return errorsOf(body).stream().map(FieldError::field).toList();
	}

	@Test
	void readsOneObject() {
		assertThat(FeedbackReader.read("{\"prediction_id\":\"p-1\",\"label\":\"cat\"}"))
			.containsExactly(new Feedback("p-1", "cat", null));
		assertThat(FeedbackReader.read("{\"prediction_id\":\"p-1\",\"reward\":0.5}"))
			.containsExactly(new Feedback("p-1", null, 0.5));
	}

	@Test
	void readsAnArrayInItsOrder() {
		assertThat(FeedbackReader.read("""
				[{"prediction_id":"p-2","label":"dog"},{"prediction_id":"p-1","reward":1},
				 {"prediction_id":"p-3","label":"cat","reward":null}]
				""")).containsExactly(new Feedback("p-2", "dog", null), new Feedback("p-1", null, 1.0),
						new Feedback("p-3", "cat", null));
	}

	@Test
	void takesAnIntegerLabelAsItsDecimalText() {
		assertThat(FeedbackReader.read("{\"prediction_id\":\"p-1\",\"label\":3}"))
			.containsExactly(new Feedback("p-1", "3", null));
		assertThat(FeedbackReader.read("{\"prediction_id\":\"p-1\",\"label\":12345678901234567890}").get(0).label())
			.isEqualTo("12345678901234567890");
	}

	@Test
	void refusesWhatIsNotAFeedbackObjectOrArray() {
		for (String body : new String[] { "", "  ", "null", "42", "\"p-1\"", "true" }) {
			assertThat(errorsOf(body)).as(body).singleElement().satisfies(error -> {
				assertThat(error.field()).isEqualTo("$");
				assertThat(error.message()).startsWith("send a feedback object");
			});
		}
		assertThatThrownBy(() -> FeedbackReader.read(null)).isInstanceOf(InvalidFeedbackException.class);
	}

	@Test
	void refusesMalformedJsonAndAnEmptyArray() {
		assertThat(errorsOf("{\"prediction_id\":\"p-1\",")).singleElement()
			.satisfies(error -> assertThat(error.message()).startsWith("malformed JSON: "));
		assertThatThrownBy(() -> FeedbackReader.read("[]")).isInstanceOf(InvalidFeedbackException.class)
			.hasMessage("$: the array holds no feedback");
	}

	@Test
	void refusesAMissingOrBlankPredictionId() {
		assertThat(fieldsOf("{\"label\":\"cat\"}")).containsExactly("prediction_id");
		assertThat(fieldsOf("{\"prediction_id\":\"  \",\"label\":\"cat\"}")).containsExactly("prediction_id");
		assertThat(fieldsOf("{\"prediction_id\":7,\"label\":\"cat\"}")).containsExactly("prediction_id");
		assertThat(fieldsOf("{\"prediction_id\":null,\"label\":\"cat\"}")).containsExactly("prediction_id");
	}

	@Test
	void asksForALabelOrARewardButNotBoth() {
		assertThat(errorsOf("{\"prediction_id\":\"p-1\"}")).containsExactly(
				new FieldError("label", "give the true label or a numeric reward"));
		assertThat(errorsOf("{\"prediction_id\":\"p-1\",\"label\":null,\"reward\":null}")).extracting(FieldError::field)
			.containsExactly("label");
		assertThat(errorsOf("{\"prediction_id\":\"p-1\",\"label\":\"cat\",\"reward\":1}")).containsExactly(
				new FieldError("reward", "give a label or a reward, not both"));
	}

	@Test
	void refusesALabelThatIsNotTextOrAnInteger() {
		for (String label : new String[] { "3.5", "true", "{\"class\":\"cat\"}", "[\"cat\"]", "\"\"" }) {
			assertThat(errorsOf("{\"prediction_id\":\"p-1\",\"label\":" + label + "}")).as(label)
				.singleElement()
				.satisfies(error -> {
					assertThat(error.field()).isEqualTo("label");
					assertThat(error.message()).startsWith("must be the class label as a string (or an integer), not ");
				});
		}
		assertThat(fieldsOf("[{\"prediction_id\":\"p-1\",\"label\":\"cat\"},{\"prediction_id\":\"p-2\",\"label\":2.5}]"))
			.containsExactly("[1].label");
	}

	@Test
	void refusesARewardThatIsNotAFiniteNumber() {
		for (String reward : new String[] { "NaN", "Infinity", "-Infinity", "\"1\"", "true", "[1]" }) {
			assertThat(errorsOf("{\"prediction_id\":\"p-1\",\"reward\":" + reward + "}")).as(reward)
				.singleElement()
				.satisfies(error -> {
					assertThat(error.field()).isEqualTo("reward");
					assertThat(error.message()).startsWith("must be a finite number, not ");
				});
		}
	}

	@Test
	void refusesAnUnknownField() {
		assertThat(errorsOf("{\"prediction_id\":\"p-1\",\"label\":\"cat\",\"lable\":\"dog\"}")).containsExactly(
				new FieldError("lable", "unknown field; feedback has prediction_id and label or reward"));
	}

	@Test
	void theSameFeedbackTwiceCountsOnce() {
		assertThat(FeedbackReader.read("""
				[{"prediction_id":"p-1","label":"cat"},{"prediction_id":"p-2","reward":1},
				 {"prediction_id":"p-1","label":"cat"},{"prediction_id":"p-2","reward":1.0}]
				""")).containsExactly(new Feedback("p-1", "cat", null), new Feedback("p-2", null, 1.0));
	}

	@Test
	void theSamePredictionTwiceWithDifferentFeedbackIsRefused() {
		assertThat(errorsOf("""
				[{"prediction_id":"p-1","label":"cat"},{"prediction_id":"p-2","reward":1},
				 {"prediction_id":"p-1","label":"dog"},{"prediction_id":"p-2","label":"1"}]
				""")).containsExactly(
						new FieldError("[2].prediction_id",
								"prediction p-1 appears twice in this request with different feedback"),
						new FieldError("[3].prediction_id",
								"prediction p-2 appears twice in this request with different feedback"));
	}

	@Test
	void refusesMoreThanTheMostEventsPerRequest() {
		String event = "{\"prediction_id\":\"p\",\"reward\":1}";
		String most = "[" + String.join(",", java.util.Collections.nCopies(FeedbackReader.MAX_EVENTS, event)) + "]";
		String tooMany = "[" + event + "," + most.substring(1);

		assertThat(FeedbackReader.read(most)).hasSize(1);
		assertThatThrownBy(() -> FeedbackReader.read(tooMany)).isInstanceOf(InvalidFeedbackException.class)
			.hasMessage("$: at most 10000 feedback events per request, got 10001");
	}

	@Test
	void reportsEveryFaultAtOnceByItsPlace() {
		InvalidFeedbackException invalid = catchThrowableOfType(InvalidFeedbackException.class,
				() -> FeedbackReader.read("""
						[{"prediction_id":"p-1","label":"cat"},
						 {"label":1.5},
						 "p-3",
						 {"prediction_id":"p-4","reward":"high","extra":1},
						 {"prediction_id":"p-5"}]
						"""));

		assertThat(invalid.errors()).extracting(FieldError::field)
			.containsExactly("[1].prediction_id", "[1].label", "[2]", "[3].extra", "[3].reward", "[4].label");
		assertThat(invalid.errors().get(2).message()).isEqualTo("must be an object, not STRING");
	}

}
