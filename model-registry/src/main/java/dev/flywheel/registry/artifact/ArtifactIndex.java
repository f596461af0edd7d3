package dev.flywheel.registry.artifact;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.registry.artifact.ArtifactStore.StoredFile;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.Sql;

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
		return database.write(client -> Sql.upsert(client, "artifact_files", Map.of("path", file.path().toString()),
				Map.of("size_bytes", file.size(), "sha256", file.sha256(), "updated_time", clock.millis())));
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
