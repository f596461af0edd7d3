package dev.flywheel.monitoring.feedback;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flywheel.monitoring.ingest.FieldError;
import dev.flywheel.monitoring.ingest.InvalidBodyException;

import static dev.flywheel.monitoring.ingest.IngestBodies.feedback;
import static dev.flywheel.monitoring.ingest.IngestBodies.feedbackEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FeedbackReaderTests {

	private static final Instant AT = Instant.parse("2026-11-27T04:00:00.123Z");

	private static List<FeedbackEvent> read(String body) {
		return FeedbackReader.read(body.getBytes(StandardCharsets.UTF_8));
	}

	private static List<FieldError> errorsOf(String body) {
		return catchThrowableOfType(InvalidBodyException.class, () -> read(body)).errors();
	}

	@Test
	void readsTheRoutersForwardedEvents() {
		List<FeedbackEvent> events = read(feedback(List.of(feedbackEvent("a", "setosa", AT))));

		assertThat(events).containsExactly(new FeedbackEvent("a", "iris-species", "2",
				"0b1c6a8e-0000-4000-8000-000000000001", "v2", "setosa", "setosa", null, AT.toEpochMilli(),
				AT.plusSeconds(60).toEpochMilli()));
	}

	@Test
	void takesARewardWithoutALabelAndAnIntegerLabelAsItsText() {
		List<FeedbackEvent> events = read("""
				{"feedback": [
				  {"prediction_id": "a", "model": "m", "reward": 0.25, "predicted_at": "2026-11-27T04:00:00Z",
				   "received_at": "2026-11-27T05:00:00Z"},
				  {"prediction_id": "b", "model": "m", "label": 7, "predicted_at": "2026-11-27T04:00:00Z",
				   "received_at": "2026-11-27T05:00:00Z"}]}""");

		assertThat(events.get(0).reward()).isEqualTo(0.25);
		assertThat(events.get(0).label()).isNull();
		assertThat(events.get(1).label()).isEqualTo("7");
	}

	@Test
	void namesEveryFaultByItsPlace() {
		List<FieldError> errors = errorsOf("""
				{"feedback": [
				  {"prediction_id": "a", "model": "m", "predicted_at": "2026-11-27T04:00:00Z",
				   "received_at": "2026-11-27T05:00:00Z"},
				  {"prediction_id": "b", "model": "m", "label": ["x"], "reward": "high", "predicted_at": "now",
				   "received_at": "2026-11-27T05:00:00Z", "weight": 2},
				  {"model": "m", "label": "x", "predicted_at": "2026-11-27T04:00:00Z"}
				]}""");

		assertThat(errors).extracting(FieldError::field)
			.containsExactly("feedback[0]", "feedback[1].weight", "feedback[1].label", "feedback[1].reward",
					"feedback[1].predicted_at", "feedback[2].prediction_id", "feedback[2].received_at");
		assertThat(errors.get(0).message()).isEqualTo("a label or a reward");
		assertThat(errors.get(1).message()).isEqualTo("unknown field");
	}

	@Test
	void refusesWhatIsNotAFeedbackPost() {
		for (String body : new String[] { "", "[]", "{}", "{\"feedback\": []}", "{\"feedback\": {}}", "{" }) {
			assertThat(catchThrowableOfType(InvalidBodyException.class, () -> read(body))).as(body).isNotNull();
		}
		Map<String, Object> event = feedbackEvent("a", "x", AT);
		String tooMany = feedback(Collections.nCopies(FeedbackReader.MAX_EVENTS + 1, event));
		assertThat(errorsOf(tooMany).get(0).message()).contains("at most 10000 events");
	}

}
