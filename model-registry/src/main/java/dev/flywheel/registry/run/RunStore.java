package dev.flywheel.registry.run;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.registry.experiment.ExperimentStore;
import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.run.Run.Metric;
import dev.flywheel.registry.run.Run.RunData;
import dev.flywheel.registry.run.Run.RunInfo;
import dev.flywheel.registry.run.Run.RunInputs;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.Sql;

/**
 * Runs in the registry's database: their info, lifecycle, and reading them back with their data. Every change to a
 * run first locks its row ({@link #lockActive}), so writes to one run are serialised on either database.
 */
@Component
public class RunStore {

	static final String INFO_COLUMNS = "r.run_uuid, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, "
			+ "r.end_time, r.lifecycle_stage, r.artifact_uri";

	static final String RUN_NAME_TAG = "mlflow.runName";

	private final Database database;

	private final ExperimentStore experiments;

	private final Clock clock;

	RunStore(Database database, ExperimentStore experiments, Clock clock) {
		this.database = database;
		this.experiments = experiments;
		this.clock = clock;
	}

	Mono<Run> create(String experimentId, String userId, Long startTime, String runName, List<KeyValue> tags) {
		return experiments.get(experimentId).flatMap(experiment -> {
			if (!experiment.isActive()) {
				return Mono.error(MlflowException.invalid("The experiment " + experimentId
						+ " must be in the 'active' state. Current state is " + experiment.lifecycleStage() + "."));
			}
			String runId = UUID.randomUUID().toString().replace("-", "");
			String name = runName != null ? runName
					: tags.stream()
						.filter(t -> t.key().equals(RUN_NAME_TAG))
						.map(KeyValue::value)
						.findFirst()
						.orElseGet(RunNames::random);
			List<KeyValue> allTags = new ArrayList<>(tags.stream().filter(t -> !t.key().equals(RUN_NAME_TAG)).toList());
			allTags.add(new KeyValue(RUN_NAME_TAG, name));
			String artifactUri = experiment.artifactLocation() + "/" + runId + "/artifacts";
			long start = startTime != null ? startTime : clock.millis();
			return database.write(client -> {
				var insert = client
					.sql("INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, "
							+ "lifecycle_stage, artifact_uri) VALUES (:id, :experiment, :name, :user, 'RUNNING', "
							+ ":start, 'active', :uri)")
					.bind("id", runId)
					.bind("experiment", Long.parseLong(experiment.experimentId()))
					.bind("name", name)
					.bind("start", start)
					.bind("uri", artifactUri);
				insert = Sql.bind(insert, "user", userId, String.class);
				Mono<Void> work = insert.then();
				for (KeyValue tag : allTags) {
					work = work.then(RunDataWriter.upsertTag(client, runId, tag));
				}
				return work;
			}).then(Mono.defer(() -> get(runId)));
		});
	}

	public Mono<Run> get(String runId) {
		return database.read(client -> client.sql("SELECT " + INFO_COLUMNS + " FROM runs r WHERE r.run_uuid = :id")
			.bind("id", runId)
			.map(RunStore::info)
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(runId)))
			.flatMap(info -> withData(client, List.of(info)).map(runs -> runs.get(0))));
	}

	Mono<RunInfo> update(String runId, RunStatus status, Long endTime, String runName) {
		return database.write(client -> lockActive(client, runId).flatMap(info -> {
			var update = client.sql("UPDATE runs SET status = :status, end_time = :end, run_name = :name "
					+ "WHERE run_uuid = :id")
				.bind("status", status != null ? status.name() : info.status())
				.bind("name", runName != null ? runName : info.runName())
				.bind("id", runId);
			update = Sql.bind(update, "end", endTime != null ? endTime : info.endTime(), Long.class);
			Mono<Void> work = update.then();
			if (runName != null) {
				work = work.then(RunDataWriter.upsertTag(client, runId, new KeyValue(RUN_NAME_TAG, runName)));
			}
			return work.then(client.sql("SELECT " + INFO_COLUMNS + " FROM runs r WHERE r.run_uuid = :id")
				.bind("id", runId)
				.map(RunStore::info)
				.one());
		}));
	}

	Mono<Void> setLifecycle(String runId, String from, String to) {
		return database.write(client -> lock(client, runId).flatMap(info -> {
			if (!info.lifecycleStage().equals(from)) {
				return Mono.error(MlflowException.invalid("The run " + runId + " must be in the '" + from
						+ "' state. Current state is " + info.lifecycleStage() + "."));
			}
			var update = client.sql("UPDATE runs SET lifecycle_stage = :to, deleted_time = :deleted "
					+ "WHERE run_uuid = :id")
				.bind("to", to)
				.bind("id", runId);
			return Sql.bind(update, "deleted", to.equals("deleted") ? clock.millis() : null, Long.class).then();
		}));
	}

	/** Locks the run's row for the rest of the transaction; fails unless the run exists. */
	static Mono<RunInfo> lock(DatabaseClient client, String runId) {
		return client.sql("SELECT " + INFO_COLUMNS + " FROM runs r WHERE r.run_uuid = :id FOR UPDATE")
			.bind("id", runId)
			.map(RunStore::info)
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(runId)));
	}

	/** As {@link #lock}, and the run must not be deleted: MLflow refuses to log to a deleted run. */
	static Mono<RunInfo> lockActive(DatabaseClient client, String runId) {
		return lock(client, runId).flatMap(info -> info.isActive() ? Mono.just(info)
				: Mono.error(MlflowException.invalid("The run " + runId
						+ " must be in the 'active' state. Current state is " + info.lifecycleStage() + ".")));
	}

	/** Reads the data of each run (latest metrics, params, tags), keeping their order. */
	static Mono<List<Run>> withData(DatabaseClient client, List<RunInfo> infos) {
		if (infos.isEmpty()) {
			return Mono.just(List.of());
		}
		List<String> ids = infos.stream().map(RunInfo::runId).toList();
		Mono<Map<String, List<Metric>>> metrics = client
			.sql("SELECT run_uuid, metric_key, metric_value, is_nan, metric_time, step FROM run_latest_metrics "
					+ "WHERE run_uuid IN (:ids) ORDER BY metric_key")
			.bind("ids", ids)
			.map(row -> Map.entry(row.get("run_uuid", String.class), RunDataWriter.metric(row)))
			.all()
			.collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
			.map(RunStore::asLists);
		Mono<Map<String, List<KeyValue>>> params = keyValues(client,
				"SELECT run_uuid, param_key AS k, param_value AS v FROM run_params WHERE run_uuid IN (:ids) "
						+ "ORDER BY param_key",
				ids);
		Mono<Map<String, List<KeyValue>>> tags = keyValues(client,
				"SELECT run_uuid, tag_key AS k, tag_value AS v FROM run_tags WHERE run_uuid IN (:ids) ORDER BY tag_key",
				ids);
		return metrics.zipWith(params).zipWith(tags).map(all -> {
			var m = all.getT1().getT1();
			var p = all.getT1().getT2();
			var t = all.getT2();
			return infos.stream()
				.map(info -> new Run(info, new RunData(m.getOrDefault(info.runId(), List.of()),
						p.getOrDefault(info.runId(), List.of()), t.getOrDefault(info.runId(), List.of())),
						new RunInputs(List.of())))
				.toList();
		});
	}

	private static Mono<Map<String, List<KeyValue>>> keyValues(DatabaseClient client, String sql, List<String> ids) {
		return client.sql(sql)
			.bind("ids", ids)
			.map(row -> Map.entry(row.get("run_uuid", String.class),
					new KeyValue(row.get("k", String.class), row.get("v", String.class))))
			.all()
			.collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
			.map(RunStore::asLists);
	}

	private static <T> Map<String, List<T>> asLists(Map<String, java.util.Collection<T>> multimap) {
		Map<String, List<T>> lists = new HashMap<>();
		multimap.forEach((key, values) -> lists.put(key, List.copyOf(values)));
		return lists;
	}

	static RunInfo info(Readable row) {
		String id = row.get("run_uuid", String.class);
		return new RunInfo(id, id, row.get("run_name", String.class),
				String.valueOf(row.get("experiment_id", Long.class)), row.get("user_id", String.class),
				row.get("status", String.class), row.get("start_time", Long.class), row.get("end_time", Long.class),
				row.get("artifact_uri", String.class), row.get("lifecycle_stage", String.class));
	}

	static MlflowException notFound(String runId) {
		return MlflowException.notFound("Run with id=" + runId + " not found");
	}

}
