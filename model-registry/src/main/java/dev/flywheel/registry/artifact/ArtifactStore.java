package dev.flywheel.registry.artifact;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Where artifact bytes live. The local file system is the default; an object store can take its place. A write is
 * all or nothing: until it completes, readers see the previous content or nothing, never a part.
 */
public interface ArtifactStore {

	/**
	 * Stores {@code content} at {@code path}, replacing what was there. Fails with a
	 * {@link org.springframework.core.io.buffer.DataBufferLimitException} past {@code maxBytes}, leaving nothing
	 * behind.
	 */
	Mono<StoredFile> write(ArtifactPath path, Flux<DataBuffer> content, long maxBytes);

	/** The file's bytes; a missing file is a {@code RESOURCE_DOES_NOT_EXIST} error. */
	Flux<DataBuffer> read(ArtifactPath path);

	Mono<Boolean> isFile(ArtifactPath path);

	/**
	 * The file on the local file system that holds {@code path}, when this store keeps files locally; lets the
	 * server send it with zero-copy ({@code sendfile}) instead of reading it through the JVM.
	 */
	default Mono<java.nio.file.Path> localFile(ArtifactPath path) {
		return Mono.empty();
	}

	/** The direct children of a directory, sorted by name; empty for a file or a missing path. */
	Mono<List<Entry>> list(ArtifactPath directory);

	/** Every file under a directory, at any depth, sorted by path. */
	Mono<List<Entry>> walk(ArtifactPath directory);

	/** Deletes a file or a whole directory; deleting a missing path does nothing. */
	Mono<Void> delete(ArtifactPath path);

	/** A stored file: its size and SHA-256 (hex). */
	record StoredFile(ArtifactPath path, long size, String sha256) {
	}

	/** A file or directory in a listing; {@code size} is null for directories. */
	record Entry(ArtifactPath path, boolean directory, Long size) {
	}

}
