package dev.flywheel.registry.artifact;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.registry.artifact.ArtifactStore.StoredFile;
import dev.flywheel.registry.system.Database;

/** The recorded size and SHA-256 of each stored artifact file, in the registry's database. */
@Component
class ArtifactIndex {

	private final Database database;

	private final Clock clock;

	ArtifactIndex(Database database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	Mono<Void> record(StoredFile file) {
		String path = file.path().toString();
		return database.write(client -> client
			.sql("UPDATE artifact_files SET size_bytes = :size, sha256 = :sha, updated_time = :now WHERE path = :path")
			.bind("size", file.size())
			.bind("sha", file.sha256())
			.bind("now", clock.millis())
			.bind("path", path)
			.fetch()
			.rowsUpdated()
			.flatMap(updated -> updated > 0 ? Mono.<Void>empty()
					: client.sql("INSERT INTO artifact_files (path, size_bytes, sha256, updated_time) VALUES (:path, "
							+ ":size, :sha, :now)")
						.bind("path", path)
						.bind("size", file.size())
						.bind("sha", file.sha256())
						.bind("now", clock.millis())
						.then()));
	}

	/** The SHA-256 of each recorded file among {@code paths}. */
	Mono<Map<String, String>> sha256(List<ArtifactPath> paths) {
		if (paths.isEmpty()) {
			return Mono.just(Map.of());
		}
		return database.read(client -> client.sql("SELECT path, sha256 FROM artifact_files WHERE path IN (:paths)")
			.bind("paths", paths.stream().map(ArtifactPath::toString).toList())
			.map(row -> Map.entry(row.get("path", String.class), row.get("sha256", String.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** Forgets a file, or every file under a directory. */
	Mono<Void> forget(ArtifactPath path) {
		String prefix = path.toString() + "/";
		return database.write(client -> client
			.sql("DELETE FROM artifact_files WHERE path = :path OR SUBSTRING(path FROM 1 FOR :length) = :prefix")
			.bind("path", path.toString())
			.bind("length", prefix.length())
			.bind("prefix", prefix)
			.then());
	}

}
