package dev.flywheel.registry.model;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.registry.event.EventLog;
import dev.flywheel.registry.event.RegistryEvent;
import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.RegistryProperties;
import dev.flywheel.registry.system.Sha256;
import dev.flywheel.registry.system.Sql;

/**
 * Model versions, their tags, stages and aliases. Every change first locks the registered model's row, so version
 * numbers are handed out without gaps or duplicates and alias moves of one model apply one after the other.
 */
@Component
public class ModelVersionStore {

	private final Database database;

	private final EventLog events;

	private final Clock clock;

	private final long retryWindowMillis;

	ModelVersionStore(Database database, EventLog events, Clock clock, RegistryProperties properties) {
		this.database = database;
		this.events = events;
		this.clock = clock;
		this.retryWindowMillis = properties.registry().retryDedupWindow().toMillis();
	}

	/** What {@code model-versions/create} asks for. */
	record NewVersion(String name, String source, String storageLocation, String runId, String runLink,
			String description, String userId, List<KeyValue> tags) {

		/** Identifies a repeat of this same request, such as a client's retry. */
		String fingerprint() {
			StringBuilder text = new StringBuilder();
			for (String part : new String[] { name, source, runId, runLink, description, userId }) {
				text.append(part == null ? "\u0000" : part).append('\u0001');
			}
			tags.stream()
				.sorted(java.util.Comparator.comparing(KeyValue::key))
				.forEach(t -> text.append(t.key()).append('\u0002').append(t.value()).append('\u0001'));
			return Sha256.hex(text.toString());
		}

	}

	/**
	 * Registers a new version with the next number. The same request repeated within
	 * {@code flywheel.registry.retry-dedup-window} answers with the version the first one created: MLflow's Java client
	 * sends a failed POST three times, and a retry of a request whose answer was lost must not register twice.
	 */
	Mono<ModelVersion> create(NewVersion request) {
		long now = clock.millis();
		String fingerprint = request.fingerprint();
		return database.write(client -> RegisteredModelStore.lock(client, request.name())
			.flatMap(lastVersion -> earlierAttempt(client, fingerprint, now)
				.flatMap(version -> ModelReader.version(client, request.name(), version))
				.switchIfEmpty(Mono.defer(() -> insert(client, request, lastVersion + 1, now, fingerprint)))))
			.doOnSuccess(created -> events.committed());
	}

	private Mono<Long> earlierAttempt(DatabaseClient client, String fingerprint, long now) {
		if (retryWindowMillis <= 0) {
			return Mono.empty();
		}
		return client.sql("SELECT version FROM model_version_requests WHERE fingerprint = :fingerprint AND "
				+ "request_time >= :since AND EXISTS (SELECT 1 FROM model_versions v WHERE "
				+ "v.name = model_version_requests.name AND v.version = model_version_requests.version)")
			.bind("fingerprint", fingerprint)
			.bind("since", now - retryWindowMillis)
			.map(row -> row.get("version", Long.class))
			.one();
	}

	private Mono<ModelVersion> insert(DatabaseClient client, NewVersion request, long version, long now,
			String fingerprint) {
		var insert = client.sql("INSERT INTO model_versions (name, version, creation_time, last_updated_time, "
				+ "description, user_id, current_stage, source, storage_location, run_id, run_link, status) VALUES "
				+ "(:name, :version, :now, :now, :description, :user, 'None', :source, :location, :run, :link, "
				+ "'READY')")
			.bind("name", request.name())
			.bind("version", version)
			.bind("now", now)
			.bind("source", request.source());
		insert = Sql.bind(insert, "description", request.description(), String.class);
		insert = Sql.bind(insert, "user", request.userId(), String.class);
		insert = Sql.bind(insert, "location", request.storageLocation(), String.class);
		insert = Sql.bind(insert, "run", request.runId(), String.class);
		insert = Sql.bind(insert, "link", request.runLink(), String.class);
		String digest = request.tags()
			.stream()
			.filter(t -> t.key().equals(ModelVersion.DIGEST_TAG))
			.map(KeyValue::value)
			.findFirst()
			.orElse(null);
		Mono<Void> rememberRequest = retryWindowMillis <= 0 ? Mono.empty()
				: client.sql("DELETE FROM model_version_requests WHERE request_time < :cutoff OR fingerprint = :f")
					.bind("cutoff", now - retryWindowMillis)
					.bind("f", fingerprint)
					.then()
					.then(client.sql("INSERT INTO model_version_requests (fingerprint, name, version, request_time) "
							+ "VALUES (:f, :name, :version, :now)")
						.bind("f", fingerprint)
						.bind("name", request.name())
						.bind("version", version)
						.bind("now", now)
						.then());
		return client.sql("UPDATE registered_models SET last_version = :version, last_updated_time = :now "
				+ "WHERE name = :name")
			.bind("version", version)
			.bind("now", now)
			.bind("name", request.name())
			.then()
			.then(insert.then())
			.then(Flux.fromIterable(request.tags()).concatMap(tag -> upsertTag(client, request.name(), version, tag))
				.then())
			.then(rememberRequest)
			.then(events.append(client, RegistryEvent.VERSION_CREATED, request.name(), version, null, digest))
			.then(ModelReader.version(client, request.name(), version));
	}

	public Mono<ModelVersion> get(String name, long version) {
		return database.read(client -> ModelReader.version(client, name, version));
	}

	Mono<ModelVersion> describe(String name, long version, String description) {
		return database.write(client -> lockVersion(client, name, version)
			.then(Sql.bind(client.sql("UPDATE model_versions SET description = :description, last_updated_time = :now"
					+ " WHERE name = :name AND version = :version"), "description", description, String.class)
				.bind("now", clock.millis())
				.bind("name", name)
				.bind("version", version)
				.then())
			.then(ModelReader.version(client, name, version)));
	}

	/** Deletes a version with its tags; aliases that pointed at it are removed, and followers hear of each. */
	Mono<Void> delete(String name, long version) {
		return database.write(client -> lockVersion(client, name, version)
			.thenMany(client.sql("SELECT alias FROM registered_model_aliases WHERE name = :name AND version = :version")
				.bind("name", name)
				.bind("version", version)
				.map(row -> row.get("alias", String.class))
				.all())
			.collectList()
			.flatMap(aliases -> client.sql("DELETE FROM model_versions WHERE name = :name AND version = :version")
				.bind("name", name)
				.bind("version", version)
				.then()
				.then(Flux.fromIterable(aliases)
					.concatMap(alias -> events.append(client, RegistryEvent.ALIAS_DELETED, name, version, alias, null))
					.then())
				.then(events.append(client, RegistryEvent.VERSION_DELETED, name, version, null, null))))
			.doOnSuccess(done -> events.committed());
	}

	Mono<Void> setTag(String name, long version, KeyValue tag) {
		return database.write(client -> lockVersion(client, name, version).then(upsertTag(client, name, version, tag)));
	}

	Mono<Void> deleteTag(String name, long version, String key) {
		return database.write(client -> lockVersion(client, name, version)
			.then(client.sql("DELETE FROM model_version_tags WHERE name = :name AND version = :version AND "
					+ "tag_key = :key")
				.bind("name", name)
				.bind("version", version)
				.bind("key", key)
				.then()));
	}

	/** Moves a version to a legacy stage, optionally archiving the other versions in that stage. */
	Mono<ModelVersion> transition(String name, long version, Stage stage, boolean archiveExisting) {
		if (archiveExisting && !stage.isActive()) {
			return Mono.error(MlflowException.invalid("Model version transition cannot archive existing model "
					+ "versions because '" + stage.canonical() + "' is not an Active stage. Valid stages are "
					+ "Staging, Production"));
		}
		long now = clock.millis();
		return database.write(client -> lockVersion(client, name, version)
			.then(archiveExisting ? client.sql("UPDATE model_versions SET current_stage = 'Archived', "
					+ "last_updated_time = :now WHERE name = :name AND current_stage = :stage AND version <> :version")
				.bind("now", now)
				.bind("name", name)
				.bind("stage", stage.canonical())
				.bind("version", version)
				.then() : Mono.empty())
			.then(client.sql("UPDATE model_versions SET current_stage = :stage, last_updated_time = :now "
					+ "WHERE name = :name AND version = :version")
				.bind("stage", stage.canonical())
				.bind("now", now)
				.bind("name", name)
				.bind("version", version)
				.then())
			.then(ModelReader.version(client, name, version)));
	}

	/** Points {@code alias} at a version, moving it if it pointed elsewhere. */
	Mono<Void> setAlias(String name, String alias, long version) {
		return database.write(client -> lockVersion(client, name, version)
			.then(client.sql("UPDATE registered_model_aliases SET version = :version WHERE name = :name AND "
					+ "alias = :alias")
				.bind("version", version)
				.bind("name", name)
				.bind("alias", alias)
				.fetch()
				.rowsUpdated())
			.flatMap(updated -> updated > 0 ? Mono.<Void>empty()
					: client.sql("INSERT INTO registered_model_aliases (name, alias, version) VALUES (:name, :alias, "
							+ ":version)")
						.bind("name", name)
						.bind("alias", alias)
						.bind("version", version)
						.then())
			.then(ModelReader.version(client, name, version))
			.flatMap(target -> events.append(client, RegistryEvent.ALIAS_SET, name, version, alias,
					target.digest().orElse(null))))
			.doOnSuccess(done -> events.committed());
	}

	/** Removes an alias; removing one that does not exist changes nothing, as in MLflow. */
	Mono<Void> deleteAlias(String name, String alias) {
		return database.write(client -> RegisteredModelStore.lock(client, name)
			.then(client.sql("SELECT version FROM registered_model_aliases WHERE name = :name AND alias = :alias")
				.bind("name", name)
				.bind("alias", alias)
				.map(row -> row.get("version", Long.class))
				.one())
			.flatMap(version -> client.sql("DELETE FROM registered_model_aliases WHERE name = :name AND alias = :alias")
				.bind("name", name)
				.bind("alias", alias)
				.then()
				.then(events.append(client, RegistryEvent.ALIAS_DELETED, name, version, alias, null))))
			.doOnSuccess(done -> events.committed());
	}

	/** The version an alias points at; MLflow answers a missing alias with INVALID_PARAMETER_VALUE. */
	public Mono<ModelVersion> byAlias(String name, String alias) {
		return database.read(client -> client
			.sql("SELECT " + ModelReader.VERSION_COLUMNS + " FROM registered_model_aliases a JOIN model_versions v "
					+ "ON v.name = a.name AND v.version = a.version WHERE a.name = :name AND a.alias = :alias")
			.bind("name", name)
			.bind("alias", alias)
			.map(ModelReader::version)
			.one()
			.switchIfEmpty(Mono.defer(() -> ModelReader.model(client, name)
				.then(Mono.error(MlflowException.invalid("Registered model alias " + alias + " not found.")))))
			.flatMap(version -> ModelReader.withDetails(client, List.of(version)))
			.map(versions -> versions.get(0)));
	}

	Mono<List<ModelVersion>> latest(String name, List<Stage> stages) {
		return database.read(client -> ModelReader.latestVersions(client, name, stages));
	}

	private static Mono<Void> lockVersion(DatabaseClient client, String name, long version) {
		return RegisteredModelStore.lock(client, name)
			.then(client.sql("SELECT version FROM model_versions WHERE name = :name AND version = :version")
				.bind("name", name)
				.bind("version", version)
				.map(row -> row.get("version", Long.class))
				.one())
			.switchIfEmpty(Mono.error(() -> ModelReader.versionNotFound(name, version)))
			.then();
	}

	private Mono<Void> upsertTag(DatabaseClient client, String name, long version, KeyValue tag) {
		return Sql
			.upsert(client, "model_version_tags", Map.of("name", name, "version", version, "tag_key", tag.key()),
					Map.of("tag_value", tag.value()))
			.then(client.sql("UPDATE model_versions SET last_updated_time = :now WHERE name = :name AND "
					+ "version = :version")
				.bind("now", clock.millis())
				.bind("name", name)
				.bind("version", version)
				.then());
	}

}
