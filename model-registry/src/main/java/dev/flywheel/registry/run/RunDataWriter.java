package dev.flywheel.registry.run;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.run.Run.Metric;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.Sql;

/**
 * Logging to a run: metrics, params and tags, one at a time or as a batch, all in one transaction under the run's
 * lock. Logging the same metric point twice stores it once and setting a param to the value it has is accepted, so a
 * client's retry of a request whose answer it lost changes nothing.
 */
@Component
class RunDataWriter {

	/** Orders metric points as MLflow picks the latest: by step, then timestamp, then value. */
	private static final Comparator<Metric> LATEST_LAST = Comparator.comparingLong(Metric::step)
		.thenComparingLong(Metric::timestamp)
		.thenComparingDouble(Metric::value);

	private final Database database;

	RunDataWriter(Database database) {
		this.database = database;
	}

	Mono<Void> log(String runId, List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {
		Map<String, String> distinctParams = distinctParams(params);
		return database.write(client -> RunStore.lockActive(client, runId)
			.then(Flux.fromIterable(distinctParams.entrySet())
				.concatMap(param -> logParam(client, runId, new KeyValue(param.getKey(), param.getValue())))
				.then())
			.then(Flux.fromIterable(tags).concatMap(tag -> upsertTag(client, runId, tag)).then())
			.then(logMetrics(client, runId, metrics)));
	}

	Mono<Void> deleteTag(String runId, String key) {
		return database.write(client -> RunStore.lockActive(client, runId)
			.then(client.sql("DELETE FROM run_tags WHERE run_uuid = :id AND tag_key = :key")
				.bind("id", runId)
				.bind("key", key)
				.fetch()
				.rowsUpdated())
			.flatMap(deleted -> deleted > 0 ? Mono.empty()
					: Mono.error(MlflowException.notFound("No tag with name: " + key + " in run with id " + runId))));
	}

	private static Map<String, String> distinctParams(List<KeyValue> params) {
		Map<String, String> distinct = new LinkedHashMap<>();
		for (KeyValue param : params) {
			String previous = distinct.putIfAbsent(param.key(), param.value());
			if (previous != null && !previous.equals(param.value())) {
				throw MlflowException.invalid("Duplicate parameter keys have been submitted: key '" + param.key()
						+ "' is given the values '" + previous + "' and '" + param.value() + "'.");
			}
		}
		return distinct;
	}

	private static Mono<Void> logParam(DatabaseClient client, String runId, KeyValue param) {
		return client.sql("SELECT param_value FROM run_params WHERE run_uuid = :id AND param_key = :key")
			.bind("id", runId)
			.bind("key", param.key())
			.map(row -> row.get("param_value", String.class))
			.one()
			.flatMap(existing -> existing.equals(param.value()) ? Mono.just(true)
					: Mono.<Boolean>error(MlflowException.invalid("Changing param values is not allowed. Param with "
							+ "key='" + param.key() + "' was already logged with value='" + existing
							+ "' for run ID='" + runId + "'. Attempted logging new value '" + param.value() + "'.")))
			.switchIfEmpty(client
				.sql("INSERT INTO run_params (run_uuid, param_key, param_value) VALUES (:id, :key, :value)")
				.bind("id", runId)
				.bind("key", param.key())
				.bind("value", param.value())
				.then()
				.thenReturn(true))
			.then();
	}

	static Mono<Void> upsertTag(DatabaseClient client, String runId, KeyValue tag) {
		return Sql.upsert(client, "run_tags", Map.of("run_uuid", runId, "tag_key", tag.key()),
				Map.of("tag_value", tag.value()))
			.then(tag.key().equals(RunStore.RUN_NAME_TAG)
					? client.sql("UPDATE runs SET run_name = :name WHERE run_uuid = :id")
						.bind("name", tag.value())
						.bind("id", runId)
						.then()
					: Mono.empty());
	}

	private static Mono<Void> logMetrics(DatabaseClient client, String runId, List<Metric> metrics) {
		if (metrics.isEmpty()) {
			return Mono.empty();
		}
		Map<String, Metric> newest = new HashMap<>();
		for (Metric metric : metrics) {
			newest.merge(metric.key(), metric, (a, b) -> LATEST_LAST.compare(a, b) >= 0 ? a : b);
		}
		Mono<Void> points = Flux.fromIterable(metrics).concatMap(metric -> insertPoint(client, runId, metric)).then();
		Mono<Void> latest = client
			.sql("SELECT metric_key, metric_value, is_nan, metric_time, step FROM run_latest_metrics "
					+ "WHERE run_uuid = :id AND metric_key IN (:keys)")
			.bind("id", runId)
			.bind("keys", List.copyOf(newest.keySet()))
			.map(RunDataWriter::metric)
			.all()
			.collectMap(Metric::key)
			.flatMapMany(current -> Flux.fromIterable(newest.values())
				.filter(candidate -> !current.containsKey(candidate.key())
						|| LATEST_LAST.compare(candidate, current.get(candidate.key())) > 0)
				.concatMap(candidate -> writeLatest(client, runId, candidate, current.containsKey(candidate.key()))))
			.then();
		return points.then(latest);
	}

	private static Mono<Void> insertPoint(DatabaseClient client, String runId, Metric metric) {
		boolean nan = Double.isNaN(metric.value());
		double stored = nan ? 0 : metric.value();
		return client
			.sql("SELECT COUNT(*) AS n FROM run_metrics WHERE run_uuid = :id AND metric_key = :key AND "
					+ "metric_time = :time AND step = :step AND metric_value = :value AND is_nan = :nan")
			.bind("id", runId)
			.bind("key", metric.key())
			.bind("time", metric.timestamp())
			.bind("step", metric.step())
			.bind("value", stored)
			.bind("nan", nan)
			.map(row -> row.get("n", Long.class))
			.one()
			.flatMap(count -> count > 0 ? Mono.empty()
					: client.sql("INSERT INTO run_metrics (run_uuid, metric_key, metric_value, is_nan, metric_time, "
							+ "step) VALUES (:id, :key, :value, :nan, :time, :step)")
						.bind("id", runId)
						.bind("key", metric.key())
						.bind("value", stored)
						.bind("nan", nan)
						.bind("time", metric.timestamp())
						.bind("step", metric.step())
						.then());
	}

	private static Mono<Void> writeLatest(DatabaseClient client, String runId, Metric metric, boolean exists) {
		boolean nan = Double.isNaN(metric.value());
		String sql = exists
				? "UPDATE run_latest_metrics SET metric_value = :value, is_nan = :nan, metric_time = :time, "
						+ "step = :step WHERE run_uuid = :id AND metric_key = :key"
				: "INSERT INTO run_latest_metrics (run_uuid, metric_key, metric_value, is_nan, metric_time, step) "
						+ "VALUES (:id, :key, :value, :nan, :time, :step)";
		return client.sql(sql)
			.bind("id", runId)
			.bind("key", metric.key())
			.bind("value", nan ? 0 : metric.value())
			.bind("nan", nan)
			.bind("time", metric.timestamp())
			.bind("step", metric.step())
			.then();
	}

	static Metric metric(Readable row) {
		boolean nan = Boolean.TRUE.equals(row.get("is_nan", Boolean.class));
		return new Metric(row.get("metric_key", String.class),
				nan ? Double.NaN : row.get("metric_value", Double.class), row.get("metric_time", Long.class),
				row.get("step", Long.class));
	}

}
