package dev.flywheel.registry.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.model.RegisteredModel.Alias;

/**
 * Reads registered models and model versions with their tags, aliases and latest versions, inside whatever
 * transaction or read the caller runs.
 */
final class ModelReader {

	static final String VERSION_COLUMNS = "v.name, v.version, v.creation_time, v.last_updated_time, v.description, "
			+ "v.user_id, v.current_stage, v.source, v.storage_location, v.run_id, v.run_link, v.status, "
			+ "v.status_message";

	static final String MODEL_COLUMNS = "m.name, m.creation_time, m.last_updated_time, m.description, m.user_id";

	private ModelReader() {
	}

	static Mono<ModelVersion> version(DatabaseClient client, String name, long version) {
		return client.sql("SELECT " + VERSION_COLUMNS + " FROM model_versions v WHERE v.name = :name AND "
				+ "v.version = :version")
			.bind("name", name)
			.bind("version", version)
			.map(ModelReader::version)
			.one()
			.switchIfEmpty(Mono.error(() -> versionNotFound(name, version)))
			.flatMap(found -> withDetails(client, List.of(found)))
			.map(list -> list.get(0));
	}

	static Mono<RegisteredModel> model(DatabaseClient client, String name) {
		return client.sql("SELECT " + MODEL_COLUMNS + " FROM registered_models m WHERE m.name = :name")
			.bind("name", name)
			.map(ModelReader::modelRow)
			.one()
			.switchIfEmpty(Mono.error(() -> modelNotFound(name)))
			.flatMap(found -> modelsWithDetails(client, List.of(found)))
			.map(list -> list.get(0));
	}

	/** Adds each version's tags and aliases, keeping the order. */
	static Mono<List<ModelVersion>> withDetails(DatabaseClient client, List<ModelVersion> versions) {
		if (versions.isEmpty()) {
			return Mono.just(List.of());
		}
		List<String> names = versions.stream().map(ModelVersion::name).distinct().toList();
		Mono<Map<String, List<KeyValue>>> tags = client
			.sql("SELECT name, version, tag_key, tag_value FROM model_version_tags WHERE name IN (:names) "
					+ "ORDER BY tag_key")
			.bind("names", names)
			.map(row -> Map.entry(key(row.get("name", String.class), row.get("version", Long.class)),
					new KeyValue(row.get("tag_key", String.class), row.get("tag_value", String.class))))
			.all()
			.collectList()
			.map(ModelReader::group);
		Mono<Map<String, List<String>>> aliases = client
			.sql("SELECT name, alias, version FROM registered_model_aliases WHERE name IN (:names) ORDER BY alias")
			.bind("names", names)
			.map(row -> Map.entry(key(row.get("name", String.class), row.get("version", Long.class)),
					row.get("alias", String.class)))
			.all()
			.collectList()
			.map(ModelReader::group);
		return tags.zipWith(aliases)
			.map(both -> versions.stream()
				.map(v -> v.withDetails(both.getT1().getOrDefault(key(v.name(), v.number()), List.of()),
						both.getT2().getOrDefault(key(v.name(), v.number()), List.of())))
				.toList());
	}

	/** Completes registered model rows with tags, aliases and the latest version per stage. */
	static Mono<List<RegisteredModel>> modelsWithDetails(DatabaseClient client, List<RegisteredModel> models) {
		if (models.isEmpty()) {
			return Mono.just(List.of());
		}
		List<String> names = models.stream().map(RegisteredModel::name).toList();
		Mono<Map<String, List<KeyValue>>> tags = client
			.sql("SELECT name, tag_key, tag_value FROM registered_model_tags WHERE name IN (:names) ORDER BY tag_key")
			.bind("names", names)
			.map(row -> Map.entry(row.get("name", String.class),
					new KeyValue(row.get("tag_key", String.class), row.get("tag_value", String.class))))
			.all()
			.collectList()
			.map(ModelReader::group);
		Mono<Map<String, List<Alias>>> aliases = client
			.sql("SELECT name, alias, version FROM registered_model_aliases WHERE name IN (:names) ORDER BY alias")
			.bind("names", names)
			.map(row -> Map.entry(row.get("name", String.class),
					new Alias(row.get("alias", String.class), String.valueOf(row.get("version", Long.class)))))
			.all()
			.collectList()
			.map(ModelReader::group);
		Mono<Map<String, List<ModelVersion>>> latest = client
			.sql("SELECT " + VERSION_COLUMNS + " FROM model_versions v WHERE v.name IN (:names) AND v.version = "
					+ "(SELECT MAX(w.version) FROM model_versions w WHERE w.name = v.name "
					+ "AND w.current_stage = v.current_stage)")
			.bind("names", names)
			.map(ModelReader::version)
			.all()
			.collectList()
			.flatMap(versions -> withDetails(client, versions))
			.map(versions -> group(versions.stream()
				.sorted(Comparator.comparing(v -> Stage.parse(v.currentStage())))
				.map(v -> Map.entry(v.name(), v))
				.toList()));
		return Mono.zip(tags, aliases, latest)
			.map(all -> models.stream()
				.map(m -> new RegisteredModel(m.name(), m.creationTimestamp(), m.lastUpdatedTimestamp(), m.userId(),
						m.description(), all.getT3().getOrDefault(m.name(), List.of()),
						all.getT1().getOrDefault(m.name(), List.of()), all.getT2().getOrDefault(m.name(), List.of())))
				.toList());
	}

	/** The highest version in each of {@code stages} (all four when empty), in the order the stages are given. */
	static Mono<List<ModelVersion>> latestVersions(DatabaseClient client, String name, List<Stage> stages) {
		Set<Stage> wanted = new TreeSet<>(stages.isEmpty() ? List.of(Stage.values()) : stages);
		return model(client, name).then(client
			.sql("SELECT " + VERSION_COLUMNS + " FROM model_versions v WHERE v.name = :name AND v.version = "
					+ "(SELECT MAX(w.version) FROM model_versions w WHERE w.name = v.name "
					+ "AND w.current_stage = v.current_stage)")
			.bind("name", name)
			.map(ModelReader::version)
			.all()
			.filter(v -> wanted.contains(Stage.parse(v.currentStage())))
			.collectList()
			.flatMap(versions -> withDetails(client, versions))
			.map(versions -> versions.stream()
				.sorted(Comparator.comparing(v -> Stage.parse(v.currentStage())))
				.toList()));
	}

	static ModelVersion version(Readable row) {
		return new ModelVersion(row.get("name", String.class), String.valueOf(row.get("version", Long.class)),
				row.get("creation_time", Long.class), row.get("last_updated_time", Long.class),
				row.get("user_id", String.class), row.get("current_stage", String.class),
				row.get("description", String.class), row.get("source", String.class), row.get("run_id", String.class),
				row.get("status", String.class), row.get("status_message", String.class), List.of(),
				row.get("run_link", String.class), List.of(), row.get("storage_location", String.class));
	}

	static RegisteredModel modelRow(Readable row) {
		return new RegisteredModel(row.get("name", String.class), row.get("creation_time", Long.class),
				row.get("last_updated_time", Long.class), row.get("user_id", String.class),
				row.get("description", String.class), List.of(), List.of(), List.of());
	}

	private static String key(String name, long version) {
		return version + "/" + name;
	}

	private static <T> Map<String, List<T>> group(List<Map.Entry<String, T>> entries) {
		Map<String, List<T>> grouped = new HashMap<>();
		for (Map.Entry<String, T> entry : entries) {
			grouped.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
		}
		return grouped;
	}

	static MlflowException modelNotFound(String name) {
		return MlflowException.notFound("Registered Model with name=" + name + " not found");
	}

	static MlflowException versionNotFound(String name, long version) {
		return MlflowException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
	}

}
