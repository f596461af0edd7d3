package dev.flywheel.monitoring.retraining;

import java.util.List;
import java.util.Optional;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.support.Database;

/** Retraining jobs in the database; taking a model's single flight is an insert the unique key may refuse. */
@Component
public class JobStore {

	private static final String COLUMNS = "id, model_name, reason, attempt, status, requested_at, started_at, "
			+ "finished_at, base_version, snapshot_digest, snapshot_rows, work_dir, handle, new_version, exit_code, "
			+ "detail, log_tail, ab_test_id";

	private final Database database;

	JobStore(Database database) {
		this.database = database;
	}

	/** Stores a new active job; false when another job of the model is active (the single flight is taken). */
	Mono<Boolean> insertActive(RetrainingJob job) {
		return database.write(client -> client.sql("INSERT INTO retraining_job (id, model_name, running_model, reason, "
				+ "attempt, status, requested_at) VALUES (:id, :model, :model, :reason, :attempt, :status, :at)")
			.bind("id", job.id())
			.bind("model", job.model())
			.bind("reason", job.reason().name())
			.bind("attempt", job.attempt())
			.bind("status", job.status().name())
			.bind("at", job.requestedAt())
			.fetch()
			.rowsUpdated()
			.map(rows -> rows == 1))
			.onErrorResume(DataIntegrityViolationException.class, ex -> Mono.just(false));
	}

	/** Writes a job's state; an ended job lets go of its model's single flight. */
	Mono<Void> update(RetrainingJob job) {
		return database.write(client -> {
			DatabaseClient.GenericExecuteSpec spec = client.sql("UPDATE retraining_job SET running_model = :running, "
					+ "status = :status, started_at = :started, finished_at = :finished, base_version = :base, "
					+ "snapshot_digest = :digest, snapshot_rows = :rows, work_dir = :dir, handle = :handle, "
					+ "new_version = :version, exit_code = :exit, detail = :detail, log_tail = :log, "
					+ "ab_test_id = :test WHERE id = :id");
			spec = bind(spec, "running", job.status().isActive() ? job.model() : null, String.class);
			spec = spec.bind("status", job.status().name()).bind("id", job.id());
			spec = bind(spec, "started", job.startedAt(), Long.class);
			spec = bind(spec, "finished", job.finishedAt(), Long.class);
			spec = bind(spec, "base", job.baseVersion(), String.class);
			spec = bind(spec, "digest", job.snapshotDigest(), String.class);
			spec = bind(spec, "rows", job.snapshotRows(), Long.class);
			spec = bind(spec, "dir", job.workDir(), String.class);
			spec = bind(spec, "handle", job.handle(), String.class);
			spec = bind(spec, "version", job.newVersion(), String.class);
			spec = bind(spec, "exit", job.exitCode(), Integer.class);
			spec = bind(spec, "detail", clip(job.detail(), 2000), String.class);
			spec = bind(spec, "log", clip(job.logTail(), 32000), String.class);
			spec = bind(spec, "test", job.abTestId(), String.class);
			return spec.fetch().rowsUpdated().then();
		});
	}

	Mono<RetrainingJob> find(String id) {
		return database.read(client -> client.sql("SELECT " + COLUMNS + " FROM retraining_job WHERE id = :id")
			.bind("id", id)
			.map(JobStore::job)
			.one());
	}

	/** A model's jobs requested since {@code since}, and its active one whenever it was requested; newest first. */
	Mono<List<RetrainingJob>> recent(String model, long since) {
		return database.read(client -> client.sql("SELECT " + COLUMNS + " FROM retraining_job WHERE model_name = :model "
				+ "AND (requested_at >= :since OR running_model IS NOT NULL) ORDER BY requested_at DESC")
			.bind("model", model)
			.bind("since", since)
			.map(JobStore::job)
			.all()
			.collectList());
	}

	/** Every job, or a model's, newest first, at most {@code limit}. */
	public Mono<List<RetrainingJob>> list(String model, int limit) {
		return database.read(client -> {
			DatabaseClient.GenericExecuteSpec spec = client.sql("SELECT " + COLUMNS + " FROM retraining_job"
					+ (model == null ? "" : " WHERE model_name = :model") + " ORDER BY requested_at DESC LIMIT " + limit);
			if (model != null) {
				spec = spec.bind("model", model);
			}
			return spec.map(JobStore::job).all().collectList();
		});
	}

	/** When the model's latest job was requested, or empty when it never had one. */
	Mono<Long> lastRequested(String model) {
		return database.read(client -> client.sql("SELECT MAX(requested_at) AS at FROM retraining_job "
				+ "WHERE model_name = :model")
			.bind("model", model)
			.map(row -> Optional.ofNullable(row.get("at", Long.class)))
			.one()).flatMap(at -> at.map(Mono::just).orElseGet(Mono::empty));
	}

	/** The jobs still active (preparing or running), as a restart finds them. */
	Mono<List<RetrainingJob>> active() {
		return database.read(client -> client.sql("SELECT " + COLUMNS + " FROM retraining_job "
				+ "WHERE running_model IS NOT NULL")
			.map(JobStore::job)
			.all()
			.collectList());
	}

	private static <T> DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String name,
			T value, Class<T> type) {
		return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
	}

	private static String clip(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(text.length() - max);
	}

	private static RetrainingJob job(Readable row) {
		return new RetrainingJob(row.get("id", String.class), row.get("model_name", String.class),
				TriggerReason.valueOf(row.get("reason", String.class)), row.get("attempt", Integer.class),
				JobStatus.valueOf(row.get("status", String.class)), row.get("requested_at", Long.class),
				row.get("started_at", Long.class), row.get("finished_at", Long.class),
				row.get("base_version", String.class), row.get("snapshot_digest", String.class),
				row.get("snapshot_rows", Long.class), row.get("work_dir", String.class),
				row.get("handle", String.class), row.get("new_version", String.class),
				row.get("exit_code", Integer.class), row.get("detail", String.class), row.get("log_tail", String.class),
				row.get("ab_test_id", String.class));
	}

}
