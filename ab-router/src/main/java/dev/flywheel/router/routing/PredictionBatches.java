package dev.flywheel.router.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.flywheel.router.routing.TrafficRecorder.PredictionRow;

/**
 * The predictions of one flush as {@code routed_batch} rows: those whose id is a version 7 UUID, grouped by model,
 * version, test, variant and whether they count for the decision, in the order of their ids' times, cut wherever a
 * batch would span more than {@value #MAX_SPAN_MILLIS} ms of id time or hold more than {@value #MAX_ENTRIES}
 * predictions. One row per batch instead of one per prediction is what keeps the database off the router's CPU; the
 * bounded span is what lets a lookup by id read only the batches of an index range ({@link #MAX_SPAN_MILLIS} before
 * the id's time). The other predictions are left {@link #unbatched()}.
 */
public final class PredictionBatches {

	/** The most id time one batch spans, in ms: a lookup by id reads the batches that began this much earlier. */
	public static final long MAX_SPAN_MILLIS = 1000;

	/** The most predictions one batch holds (about 20 bytes each for a classifier). */
	static final int MAX_ENTRIES = 5000;

	private final List<Batch> batches;

	private final List<PredictionRow> unbatched;

	private PredictionBatches(List<Batch> batches, List<PredictionRow> unbatched) {
		this.batches = batches;
		this.unbatched = unbatched;
	}

	/** What the columns of a batch say about each of its predictions. */
	record Group(String model, String modelVersion, String testId, String variant, boolean forDecision) {
	}

	/** One {@code routed_batch} row. */
	record Batch(Group group, long minTs, long maxTs, long predictedAt, long lastPredictedAt,
			List<BatchPayload.Entry> entries) {
	}

	private record Timed(TimeOrderedId id, PredictionRow row) {
	}

	/** Splits {@code rows} into batches and the rows whose ids cannot be batched. */
	static PredictionBatches of(List<PredictionRow> rows) {
		Map<Group, List<Timed>> groups = new LinkedHashMap<>();
		List<PredictionRow> unbatched = new ArrayList<>();
		for (PredictionRow row : rows) {
			TimeOrderedId id = TimeOrderedId.parse(row.predictionId());
			if (id == null) {
				unbatched.add(row);
			}
			else {
				groups.computeIfAbsent(new Group(row.model(), row.modelVersion(), row.testId(), row.variant(),
						row.forDecision()), group -> new ArrayList<>()).add(new Timed(id, row));
			}
		}
		List<Batch> batches = new ArrayList<>();
		groups.forEach((group, timed) -> {
			timed.sort(Comparator.comparingLong(t -> t.id().millis()));
			int first = 0;
			for (int at = 1; at <= timed.size(); at++) {
				if (at == timed.size() || at - first == MAX_ENTRIES
						|| timed.get(at).id().millis() - timed.get(first).id().millis() > MAX_SPAN_MILLIS) {
					batches.add(batch(group, timed.subList(first, at)));
					first = at;
				}
			}
		});
		return new PredictionBatches(List.copyOf(batches), List.copyOf(unbatched));
	}

	private static Batch batch(Group group, List<Timed> timed) {
		long predictedAt = Long.MAX_VALUE;
		long lastPredictedAt = Long.MIN_VALUE;
		List<BatchPayload.Entry> entries = new ArrayList<>(timed.size());
		for (Timed t : timed) {
			predictedAt = Math.min(predictedAt, t.row().predictedAt());
			lastPredictedAt = Math.max(lastPredictedAt, t.row().predictedAt());
			entries.add(new BatchPayload.Entry(t.id(), t.row().predictedAt(), t.row().predicted()));
		}
		return new Batch(group, timed.get(0).id().millis(), timed.get(timed.size() - 1).id().millis(), predictedAt,
				lastPredictedAt, entries);
	}

	List<Batch> batches() {
		return batches;
	}

	/** The rows whose ids are not version 7 UUIDs: stored one row each. */
	List<PredictionRow> unbatched() {
		return unbatched;
	}

	/** Inserts the batches, one statement each (a flush has about one per variant). */
	Mono<Void> insert(DatabaseClient client) {
		return Flux.fromIterable(batches).concatMap(batch -> {
			Group group = batch.group();
			DatabaseClient.GenericExecuteSpec spec = client.sql("INSERT INTO routed_batch (model_name, model_version, "
					+ "ab_test_id, variant, for_decision, min_ts, max_ts, predicted_at, last_predicted_at, entries, "
					+ "payload) VALUES (:model, :version, :test, :variant, :for_decision, :min_ts, :max_ts, "
					+ ":predicted_at, :last_predicted_at, :entries, :payload)")
				.bind("model", group.model());
			spec = bindNullable(spec, "version", group.modelVersion());
			spec = bindNullable(spec, "test", group.testId());
			spec = bindNullable(spec, "variant", group.variant());
			return spec.bind("for_decision", group.forDecision())
				.bind("min_ts", batch.minTs())
				.bind("max_ts", batch.maxTs())
				.bind("predicted_at", batch.predictedAt())
				.bind("last_predicted_at", batch.lastPredictedAt())
				.bind("entries", batch.entries().size())
				.bind("payload", BatchPayload.encode(batch.predictedAt(), batch.entries()))
				.fetch()
				.rowsUpdated();
		}).then();
	}

	private static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, String name,
			String value) {
		return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
	}

}
