package dev.flywheel.router.feedback;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.FieldError;
import dev.flywheel.router.abtest.Reward;
import dev.flywheel.router.routing.BatchPayload;
import dev.flywheel.router.routing.PredictionBatches;
import dev.flywheel.router.routing.TimeOrderedId;
import dev.flywheel.support.Database;

/**
 * Records feedback against the routed predictions, in one transaction per request. A prediction is looked up by id:
 * one whose id is a version 7 UUID in the {@code routed_batch} rows whose time range can hold it (an index range scan
 * over {@value PredictionBatches#MAX_SPAN_MILLIS} ms of id time before the id's, then the payloads decoded), any other
 * in {@code routed_prediction}. Each prediction takes its first feedback only: a row of {@code prediction_feedback}
 * under its id, so that of two replicas racing with feedback for the same prediction one transaction fails on the key;
 * it is run again once and then finds the other's row (already recorded, or conflicting). The rewards of predictions
 * counted for a decision are added to their variant's sums in the same transaction. Feedback whose kind does not fit
 * its test (a reward for a test judged by label, a label for one rewarded by number) fails the whole request before
 * anything is written.
 */
@Component
class FeedbackStore {

	private static final int IDS_PER_QUERY = 500;

	private static final int ROWS_PER_INSERT = 100;

	private final Database database;

	FeedbackStore(Database database) {
		this.database = database;
	}

	record Result(FeedbackReport report, List<RecordedFeedback> recorded) {
	}

	/** A prediction as recorded, with the reward kind of its test (null outside a test). */
	private record Stored(String predictionId, String model, String modelVersion, String testId, String variant,
			boolean forDecision, String predicted, long predictedAt, String rewardKind) {
	}

	/** The feedback a prediction took first. */
	private record Given(String label, Double reward) {
	}

	/** A {@code routed_batch} row that may hold some of the ids looked up. */
	private record StoredBatch(String model, String modelVersion, String testId, String variant, boolean forDecision,
			long predictedAt, byte[] payload, String rewardKind) {
	}

	private record VariantKey(String testId, String variant) {
	}

	Mono<Result> record(List<Feedback> events, long now, long windowMillis) {
		return database.write(client -> stored(client, events)
			.flatMap(stored -> given(client, stored.keySet())
				.flatMap(given -> record(client, events, stored, given, now, windowMillis))))
			.retryWhen(Retry.max(1).filter(DuplicateKeyException.class::isInstance));
	}

	private static Mono<Result> record(DatabaseClient client, List<Feedback> events, Map<String, Stored> stored,
			Map<String, Given> given, long now, long windowMillis) {
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
		int repeated = 0;
		Map<String, RecordedFeedback> candidates = new LinkedHashMap<>();
		for (Feedback event : events) {
			Stored prediction = stored.get(event.predictionId());
			Given first = given.get(event.predictionId());
			if (prediction == null) {
				unknown.add(event.predictionId());
			}
			else if (first != null) {
				if (event.sameAs(first.label(), first.label() == null ? first.reward() : null)) {
					repeated++;
				}
				else {
					conflicting.add(event.predictionId());
				}
			}
			else if (now - prediction.predictedAt() > windowMillis) {
				expired.add(event.predictionId());
			}
			else if (candidates.putIfAbsent(event.predictionId(), recorded(event, prediction, now)) != null) {
				repeated++; // the same feedback twice in one request (the reader refuses different ones)
			}
		}
		List<RecordedFeedback> recorded = List.copyOf(candidates.values());
		FeedbackReport report = new FeedbackReport(recorded.size(), repeated, unknown, expired, conflicting);
		return markRecorded(client, recorded).then(addRewards(client, recorded, stored))
			.thenReturn(new Result(report, recorded));
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

	/** The predictions of the events' ids that were recorded, by id. */
	private static Mono<Map<String, Stored>> stored(DatabaseClient client, List<Feedback> events) {
		Map<TimeOrderedId, String> batchable = new HashMap<>();
		for (Feedback event : events) {
			TimeOrderedId id = TimeOrderedId.parse(event.predictionId());
			if (id != null) {
				batchable.put(id, event.predictionId());
			}
		}
		Map<String, Stored> found = new HashMap<>();
		return Flux.fromIterable(timeRanges(batchable.keySet()))
			.concatMap(range -> client.sql("SELECT b.model_name, b.model_version, b.ab_test_id, b.variant, "
					+ "b.for_decision, b.predicted_at, b.payload, t.reward_kind FROM routed_batch b "
					+ "LEFT JOIN ab_test t ON t.id = b.ab_test_id "
					+ "WHERE b.min_ts BETWEEN :low AND :high AND b.max_ts >= :from ORDER BY b.id")
				.bind("low", range[0] - PredictionBatches.MAX_SPAN_MILLIS)
				.bind("high", range[1])
				.bind("from", range[0])
				.map(row -> new StoredBatch(row.get("model_name", String.class), row.get("model_version", String.class),
						row.get("ab_test_id", String.class), row.get("variant", String.class),
						Boolean.TRUE.equals(row.get("for_decision", Boolean.class)),
						row.get("predicted_at", Long.class), row.get("payload", byte[].class),
						row.get("reward_kind", String.class)))
				.all())
			.doOnNext(batch -> {
				for (BatchPayload.Entry entry : BatchPayload.decode(batch.predictedAt(), batch.payload())) {
					String id = batchable.get(entry.id());
					if (id != null) {
						found.putIfAbsent(id, new Stored(id, batch.model(), batch.modelVersion(), batch.testId(),
								batch.variant(), batch.forDecision(), entry.predicted(), entry.predictedAt(),
								batch.rewardKind()));
					}
				}
			})
			.then(Mono.defer(() -> unbatched(client, events.stream()
				.map(Feedback::predictionId)
				.filter(id -> !found.containsKey(id))
				.distinct()
				.toList())))
			.map(unbatched -> {
				unbatched.forEach(stored -> found.putIfAbsent(stored.predictionId(), stored));
				return found;
			});
	}

	/**
	 * The ranges of id time to look up batches in: the ids' times in order, a range closed where the next time is
	 * more than {@link PredictionBatches#MAX_SPAN_MILLIS} after the range's first, so that each lookup reads at most
	 * about two spans of batches.
	 */
	static List<long[]> timeRanges(Collection<TimeOrderedId> ids) {
		long[] times = ids.stream().mapToLong(TimeOrderedId::millis).sorted().toArray();
		List<long[]> ranges = new ArrayList<>();
		for (long time : times) {
			long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
			if (last != null && time - last[0] <= PredictionBatches.MAX_SPAN_MILLIS) {
				last[1] = time;
			}
			else {
				ranges.add(new long[] { time, time });
			}
		}
		return ranges;
	}

	/** The predictions stored one row each (ids that are not version 7 UUIDs, or written before batches). */
	private static Mono<List<Stored>> unbatched(DatabaseClient client, List<String> ids) {
		return Flux.range(0, (ids.size() + IDS_PER_QUERY - 1) / IDS_PER_QUERY)
			.concatMap(chunk -> client.sql("SELECT p.prediction_id, p.model_name, p.model_version, p.ab_test_id, "
					+ "p.variant, p.for_decision, p.predicted, p.predicted_at, t.reward_kind FROM routed_prediction p "
					+ "LEFT JOIN ab_test t ON t.id = p.ab_test_id WHERE p.prediction_id IN (:ids)")
				.bind("ids", ids.subList(chunk * IDS_PER_QUERY, Math.min(ids.size(), (chunk + 1) * IDS_PER_QUERY)))
				.map(row -> new Stored(row.get("prediction_id", String.class), row.get("model_name", String.class),
						row.get("model_version", String.class), row.get("ab_test_id", String.class),
						row.get("variant", String.class), Boolean.TRUE.equals(row.get("for_decision", Boolean.class)),
						row.get("predicted", String.class), row.get("predicted_at", Long.class),
						row.get("reward_kind", String.class)))
				.all())
			.collectList();
	}

	/** The feedback already recorded for the predictions {@code ids}, by id. */
	private static Mono<Map<String, Given>> given(DatabaseClient client, Collection<String> ids) {
		List<String> list = List.copyOf(ids);
		return Flux.range(0, (list.size() + IDS_PER_QUERY - 1) / IDS_PER_QUERY)
			.concatMap(chunk -> client
				.sql("SELECT prediction_id, label, reward FROM prediction_feedback WHERE prediction_id IN (:ids)")
				.bind("ids", list.subList(chunk * IDS_PER_QUERY, Math.min(list.size(), (chunk + 1) * IDS_PER_QUERY)))
				.map(row -> Map.entry(row.get("prediction_id", String.class),
						new Given(row.get("label", String.class), row.get("reward", Double.class))))
				.all())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
	}

	/**
	 * Records each prediction's first feedback, in the order of the ids (two transactions take their keys in the same
	 * order); a key another replica took first fails the transaction with a {@link DuplicateKeyException}.
	 */
	private static Mono<Void> markRecorded(DatabaseClient client, List<RecordedFeedback> feedback) {
		List<RecordedFeedback> recorded = feedback.stream()
			.sorted(Comparator.comparing(RecordedFeedback::predictionId))
			.toList();
		return Flux.range(0, (recorded.size() + ROWS_PER_INSERT - 1) / ROWS_PER_INSERT)
			.concatMap(chunk -> insertFeedback(client, recorded.subList(chunk * ROWS_PER_INSERT,
					Math.min(recorded.size(), (chunk + 1) * ROWS_PER_INSERT))))
			.then();
	}

	private static Mono<Long> insertFeedback(DatabaseClient client, List<RecordedFeedback> rows) {
		StringBuilder sql = new StringBuilder(
				"INSERT INTO prediction_feedback (prediction_id, predicted_at, feedback_at, label, reward) VALUES ");
		for (int i = 0; i < rows.size(); i++) {
			sql.append(i == 0 ? "" : ", ")
				.append("(:id").append(i)
				.append(", :predicted").append(i)
				.append(", :at").append(i)
				.append(", :label").append(i)
				.append(", :reward").append(i)
				.append(')');
		}
		DatabaseClient.GenericExecuteSpec spec = client.sql(sql.toString());
		for (int i = 0; i < rows.size(); i++) {
			RecordedFeedback feedback = rows.get(i);
			spec = spec.bind("id" + i, feedback.predictionId())
				.bind("predicted" + i, feedback.predictedAt())
				.bind("at" + i, feedback.receivedAt());
			spec = feedback.label() == null ? spec.bindNull("label" + i, String.class)
					: spec.bind("label" + i, feedback.label());
			spec = feedback.reward() == null ? spec.bindNull("reward" + i, Double.class)
					: spec.bind("reward" + i, feedback.reward());
		}
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

	/**
	 * Forgets predictions made before {@code before} and their feedback: feedback would be expired anyway. A batch
	 * goes once its last prediction is that old; until then its older predictions are reported expired (their
	 * feedback rows are gone with them). The number of predictions forgotten.
	 */
	Mono<Long> forget(long before) {
		return database.write(client -> client
			.sql("SELECT COALESCE(SUM(entries), 0) AS forgotten FROM routed_batch WHERE last_predicted_at < :before")
			.bind("before", before)
			.map(row -> row.get("forgotten", Number.class).longValue())
			.one()
			.flatMap(batched -> client.sql("DELETE FROM routed_batch WHERE last_predicted_at < :before")
				.bind("before", before)
				.fetch()
				.rowsUpdated()
				.then(client.sql("DELETE FROM routed_prediction WHERE predicted_at < :before")
					.bind("before", before)
					.fetch()
					.rowsUpdated())
				.flatMap(unbatched -> client.sql("DELETE FROM prediction_feedback WHERE predicted_at < :before")
					.bind("before", before)
					.fetch()
					.rowsUpdated()
					.thenReturn(batched + unbatched))));
	}

}
