package dev.flywheel.router.feedback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.FieldError;
import dev.flywheel.router.abtest.Reward;
import dev.flywheel.support.Database;

/**
 * Records feedback against the routed predictions, in one transaction per request: each prediction takes its first
 * feedback only ({@code UPDATE ... WHERE feedback_at IS NULL}, so two replicas cannot both count it), and the rewards
 * of predictions counted for a decision are added to their variant's sums in the same transaction. Feedback whose
 * kind does not fit its test (a reward for a test judged by label, a label for one rewarded by number) fails the
 * whole request before anything is written.
 */
@Component
class FeedbackStore {

	private static final int IDS_PER_QUERY = 500;

	private final Database database;

	FeedbackStore(Database database) {
		this.database = database;
	}

	record Result(FeedbackReport report, List<RecordedFeedback> recorded) {
	}

	private record Stored(String predictionId, String model, String modelVersion, String testId, String variant,
			boolean forDecision, String predicted, long predictedAt, Long feedbackAt, String label, Double reward,
			String rewardKind) {
	}

	private record VariantKey(String testId, String variant) {
	}

	Mono<Result> record(List<Feedback> events, long now, long windowMillis) {
		return database.write(client -> stored(client, events).flatMap(stored -> {
			List<FieldError> misfits = new ArrayList<>();
			for (Feedback event : events) {
				Stored prediction = stored.get(event.predictionId());
				if (prediction != null && prediction.rewardKind() != null) {
					misfit(event, prediction).ifPresent(misfits::add);
				}
			}
			if (!misfits.isEmpty()) {
				return Mono.error(new InvalidFeedbackException(misfits));
			}
			List<String> unknown = new ArrayList<>();
			List<String> expired = new ArrayList<>();
			List<String> conflicting = new ArrayList<>();
			int[] repeated = { 0 };
			List<RecordedFeedback> candidates = new ArrayList<>();
			for (Feedback event : events) {
				Stored prediction = stored.get(event.predictionId());
				if (prediction == null) {
					unknown.add(event.predictionId());
				}
				else if (prediction.feedbackAt() != null) {
					if (event.sameAs(prediction.label(), prediction.label() == null ? prediction.reward() : null)) {
						repeated[0]++;
					}
					else {
						conflicting.add(event.predictionId());
					}
				}
				else if (now - prediction.predictedAt() > windowMillis) {
					expired.add(event.predictionId());
				}
				else {
					candidates.add(recorded(event, prediction, now));
				}
			}
			return Flux.fromIterable(candidates)
				.concatMap(feedback -> markRecorded(client, feedback).filter(updated -> updated == 1)
					.map(updated -> feedback))
				.collectList()
				.flatMap(recorded -> addRewards(client, recorded, stored).thenReturn(recorded))
				.map(recorded -> new Result(new FeedbackReport(recorded.size(),
						repeated[0] + candidates.size() - recorded.size(), unknown, expired, conflicting), recorded));
		}));
	}

	private static Optional<FieldError> misfit(Feedback event, Stored prediction) {
		Reward reward = Reward.valueOf(prediction.rewardKind());
		if (reward == Reward.LABEL && event.label() == null) {
			return Optional.of(new FieldError("reward", "prediction " + event.predictionId()
					+ " belongs to A/B test " + prediction.testId() + ", which is judged by label: send its true "
					+ "label, not a reward"));
		}
		if (reward == Reward.NUMERIC && event.reward() == null) {
			return Optional.of(new FieldError("label", "prediction " + event.predictionId()
					+ " belongs to A/B test " + prediction.testId() + ", which is rewarded by a number: send reward, "
					+ "not a label"));
		}
		return Optional.empty();
	}

	private static RecordedFeedback recorded(Feedback event, Stored prediction, long now) {
		Double reward = event.reward();
		if (event.label() != null && prediction.predicted() != null) {
			reward = event.label().equals(prediction.predicted()) ? 1.0 : 0.0;
		}
		return new RecordedFeedback(event.predictionId(), prediction.model(), prediction.modelVersion(),
				prediction.testId(), prediction.variant(), prediction.predicted(), event.label(), reward,
				prediction.predictedAt(), now);
	}

	private static Mono<Map<String, Stored>> stored(DatabaseClient client, List<Feedback> events) {
		List<String> ids = events.stream().map(Feedback::predictionId).toList();
		return Flux.range(0, (ids.size() + IDS_PER_QUERY - 1) / IDS_PER_QUERY)
			.concatMap(chunk -> client.sql("SELECT p.prediction_id, p.model_name, p.model_version, p.ab_test_id, "
					+ "p.variant, p.for_decision, p.predicted, p.predicted_at, p.feedback_at, p.label, p.reward, "
					+ "t.reward_kind FROM routed_prediction p LEFT JOIN ab_test t ON t.id = p.ab_test_id "
					+ "WHERE p.prediction_id IN (:ids)")
				.bind("ids", ids.subList(chunk * IDS_PER_QUERY, Math.min(ids.size(), (chunk + 1) * IDS_PER_QUERY)))
				.map(row -> new Stored(row.get("prediction_id", String.class), row.get("model_name", String.class),
						row.get("model_version", String.class), row.get("ab_test_id", String.class),
						row.get("variant", String.class), Boolean.TRUE.equals(row.get("for_decision", Boolean.class)),
						row.get("predicted", String.class), row.get("predicted_at", Long.class),
						row.get("feedback_at", Long.class), row.get("label", String.class),
						row.get("reward", Double.class), row.get("reward_kind", String.class)))
				.all())
			.collectMap(Stored::predictionId, stored -> stored, HashMap::new);
	}

	private static Mono<Long> markRecorded(DatabaseClient client, RecordedFeedback feedback) {
		var spec = client.sql("UPDATE routed_prediction SET feedback_at = :at, label = :label, reward = :reward "
				+ "WHERE prediction_id = :id AND feedback_at IS NULL")
			.bind("at", feedback.receivedAt())
			.bind("id", feedback.predictionId());
		spec = feedback.label() == null ? spec.bindNull("label", String.class) : spec.bind("label", feedback.label());
		spec = feedback.reward() == null ? spec.bindNull("reward", Double.class) : spec.bind("reward", feedback.reward());
		return spec.fetch().rowsUpdated();
	}

	/** Adds the recorded rewards to their variants' sums, variant by variant in a fixed order (no deadlocks). */
	private static Mono<Void> addRewards(DatabaseClient client, List<RecordedFeedback> recorded,
			Map<String, Stored> stored) {
		Map<VariantKey, double[]> sums = new TreeMap<>(
				Comparator.comparing(VariantKey::testId).thenComparing(VariantKey::variant));
		for (RecordedFeedback feedback : recorded) {
			if (feedback.abTestId() == null) {
				continue;
			}
			double[] sum = sums.computeIfAbsent(new VariantKey(feedback.abTestId(), feedback.variant()),
					key -> new double[4]);
			sum[3]++;
			if (stored.get(feedback.predictionId()).forDecision() && feedback.reward() != null) {
				sum[0]++;
				sum[1] += feedback.reward();
				sum[2] += feedback.reward() * feedback.reward();
			}
		}
		return Flux.fromIterable(sums.entrySet())
			.concatMap(entry -> client.sql("UPDATE ab_test_variant SET reward_count = reward_count + :count, "
					+ "reward_sum = reward_sum + :sum, reward_sum_squares = reward_sum_squares + :squares, "
					+ "feedback_count = feedback_count + :feedback WHERE ab_test_id = :id AND name = :variant")
				.bind("count", (long) entry.getValue()[0])
				.bind("sum", entry.getValue()[1])
				.bind("squares", entry.getValue()[2])
				.bind("feedback", (long) entry.getValue()[3])
				.bind("id", entry.getKey().testId())
				.bind("variant", entry.getKey().variant())
				.fetch()
				.rowsUpdated())
			.then();
	}

	/** Forgets predictions made before {@code before}: their feedback would be expired anyway. */
	Mono<Long> forget(long before) {
		return database.write(client -> client.sql("DELETE FROM routed_prediction WHERE predicted_at < :before")
			.bind("before", before)
			.fetch()
			.rowsUpdated());
	}

}
