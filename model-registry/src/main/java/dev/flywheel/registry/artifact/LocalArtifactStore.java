package dev.flywheel.registry.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.system.Sha256;

/**
 * Artifacts as files under one root directory. An upload streams into a temporary file beside the root (same file
 * system), its SHA-256 computed on the way; only when the whole body arrived is the file flushed to disk and moved
 * into place atomically, so a cut-off upload leaves nothing visible. Paths are checked segment by segment: none may
 * be a symbolic link, so nothing under the root can point a request outside it.
 */
public class LocalArtifactStore implements ArtifactStore {

	private static final int READ_CHUNK = 64 * 1024;

	private final Path root;

	private final Path uploads;

	private final Scheduler io = Schedulers.boundedElastic();

	public LocalArtifactStore(Path root) {
		try {
			Files.createDirectories(root);
			this.root = root.toRealPath();
			this.uploads = this.root.resolveSibling(this.root.getFileName() + ".uploads");
			Files.createDirectories(uploads);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the artifact store at " + root, ex);
		}
	}

	public Path root() {
		return root;
	}

	@Override
	public Mono<StoredFile> write(ArtifactPath path, Flux<DataBuffer> content, long maxBytes) {
		if (path.isRoot()) {
			return Mono.error(MlflowException.invalid("Invalid path: an artifact needs a file name"));
		}
		return Mono.usingWhen(Mono.fromCallable(() -> Files.createTempFile(uploads, "upload-", ".part")).subscribeOn(io),
				temp -> {
					MessageDigest sha256 = Sha256.newDigest();
					AtomicLong size = new AtomicLong();
					Flux<DataBuffer> measured = content.doOnNext(buffer -> {
						if (size.addAndGet(buffer.readableByteCount()) > maxBytes) {
							throw new DataBufferLimitException("the upload exceeds the limit of " + maxBytes
									+ " bytes");
						}
						try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
							while (chunks.hasNext()) {
								sha256.update(chunks.next());
							}
						}
					});
					return DataBufferUtils.write(measured, temp, StandardOpenOption.WRITE)
						.then(Mono.fromCallable(() -> moveIntoPlace(temp, path)).subscribeOn(io))
						.map(ignored -> new StoredFile(path, size.get(), Sha256.hex(sha256)));
				}, this::deleteQuietly, (temp, error) -> deleteQuietly(temp), this::deleteQuietly);
	}

	private Path moveIntoPlace(Path temp, ArtifactPath path) throws IOException {
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
		Path target = resolve(path);
		Path parent = target.getParent();
		try {
			Files.createDirectories(parent);
		}
		catch (FileAlreadyExistsException ex) {
			throw MlflowException.invalid("Invalid path: a parent of '" + path + "' is a file");
		}
		resolve(path);
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			throw MlflowException.invalid("Invalid path: '" + path + "' is a directory");
		}
		Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return target;
	}

	private Mono<Void> deleteQuietly(Path temp) {
		return Mono.fromRunnable(() -> {
			try {
				Files.deleteIfExists(temp);
			}
			catch (IOException ex) {
				// a leftover temporary file is invisible to readers; nothing else to do
			}
		}).subscribeOn(io).then();
	}

	@Override
	public Flux<DataBuffer> read(ArtifactPath path) {
		return Mono.fromCallable(() -> {
			Path file = resolve(path);
			if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
				throw MlflowException.notFound("Artifact '" + path + "' does not exist");
			}
			return file;
		}).subscribeOn(io).flatMapMany(file -> DataBufferUtils.read(file, DefaultDataBufferFactory.sharedInstance,
				READ_CHUNK, StandardOpenOption.READ));
	}

	@Override
	public Mono<Boolean> isFile(ArtifactPath path) {
		return Mono.fromCallable(() -> Files.isRegularFile(resolve(path), LinkOption.NOFOLLOW_LINKS)).subscribeOn(io);
	}

	@Override
	public Mono<Path> localFile(ArtifactPath path) {
		return Mono.fromCallable(() -> resolve(path))
			.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
			.subscribeOn(io);
	}

	@Override
	public Mono<List<Entry>> list(ArtifactPath directory) {
		return Mono.fromCallable(() -> {
			Path dir = resolve(directory);
			if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
				return List.<Entry>of();
			}
			List<Entry> entries = new ArrayList<>();
			try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
				for (Path child : children) {
					BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class,
							LinkOption.NOFOLLOW_LINKS);
					if (attributes.isSymbolicLink()) {
						continue;
					}
					ArtifactPath childPath = directory.resolve(child.getFileName().toString());
					entries.add(attributes.isDirectory() ? new Entry(childPath, true, null)
							: new Entry(childPath, false, attributes.size()));
				}
			}
			entries.sort(Comparator.comparing(e -> e.path().fileName()));
			return List.copyOf(entries);
		}).subscribeOn(io);
	}

	@Override
	public Mono<List<Entry>> walk(ArtifactPath directory) {
		return Mono.fromCallable(() -> {
			Path dir = resolve(directory);
			if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
				return List.<Entry>of();
			}
			try (Stream<Path> files = Files.walk(dir)) {
				return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
					.map(file -> new Entry(directory.resolve(dir.relativize(file).toString()), false, size(file)))
					.sorted(Comparator.comparing(e -> e.path().toString()))
					.toList();
			}
		}).subscribeOn(io);
	}

	@Override
	public Mono<Void> delete(ArtifactPath path) {
		return Mono.fromCallable(() -> {
			Path target = resolve(path);
			if (path.isRoot() || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
				return Boolean.FALSE;
			}
			try (Stream<Path> all = Files.walk(target)) {
				for (Path file : all.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
			catch (NoSuchFileException ex) {
				// deleted concurrently
			}
			return Boolean.TRUE;
		}).subscribeOn(io).then();
	}

	/** The file for {@code path}; refuses a path that passes through a symbolic link. */
	private Path resolve(ArtifactPath path) {
		Path current = root;
		for (String segment : path.segments()) {
			current = current.resolve(segment);
			if (Files.isSymbolicLink(current)) {
				throw MlflowException.invalid("Invalid path");
			}
		}
		if (!current.normalize().startsWith(root)) {
			throw MlflowException.invalid("Invalid path");
		}
		return current;
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
