package dev.flywheel.registry.artifact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.system.RegistryProperties;

/**
 * Artifacts as objects in an S3-compatible bucket, each under {@code <prefix>/<artifact path>}; a directory is the
 * common prefix of its files, as S3 has no directories. Uploads stream through {@link S3Upload} (a single PutObject
 * or a multipart upload, all or nothing). Every call is bounded by the configured timeouts; an unreachable or failing
 * server is a 503 that names the endpoint and the bucket. Keys that no artifact path can name (written by other
 * tools) are left out of listings.
 */
public class S3ArtifactStore implements ArtifactStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(S3ArtifactStore.class);

	/** Deletes sent at once when a directory is deleted. */
	private static final int DELETE_CONCURRENCY = 8;

	private final S3Bucket bucket;

	private final String prefix;

	private final S3Upload upload;

	S3ArtifactStore(S3Bucket bucket, String prefix, S3Upload upload) {
		this.bucket = bucket;
		this.prefix = normalized(prefix);
		this.upload = upload;
	}

	/**
	 * A store on the configured bucket, once HeadBucket showed it reachable; fails with a message naming the endpoint
	 * and the bucket otherwise, so that a misconfigured registry does not start.
	 */
	public static S3ArtifactStore connect(RegistryProperties.S3 settings) {
		S3ArtifactStore store = create(settings);
		try {
			// at start, on the main thread: nothing is served before the bucket answered
			store.bucket.verify().block();
			logger.info("Artifacts are kept in {}, under '{}'", store.bucket.describe(), store.prefix);
			return store;
		}
		catch (RuntimeException ex) {
			store.close();
			String reason = S3Bucket.isNotFound(ex) ? "no such bucket" : ex.getMessage();
			throw new IllegalStateException("The S3 artifact store cannot reach " + store.bucket.describe() + ": "
					+ reason, ex);
		}
	}

	/** A store on the configured bucket, not checked yet. */
	static S3ArtifactStore create(RegistryProperties.S3 settings) {
		S3Bucket bucket = S3Clients.open(settings);
		S3Upload upload = new S3Upload(bucket, Math.toIntExact(settings.multipartPartSize().toBytes()),
				settings.multipartThreshold().toBytes(), settings.multipartConcurrency());
		return new S3ArtifactStore(bucket, settings.prefix(), upload);
	}

	@Override
	public Mono<StoredFile> write(ArtifactPath path, Flux<DataBuffer> content, long maxBytes) {
		if (path.isRoot()) {
			return Mono.error(MlflowException.invalid("Invalid path: an artifact needs a file name"));
		}
		return upload.write(path, key(path), content, maxBytes);
	}

	@Override
	public Flux<DataBuffer> read(ArtifactPath path) {
		if (path.isRoot()) {
			return Flux.error(notFound(path));
		}
		return bucket.read(key(path))
			.map(bytes -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(bytes))
			.onErrorMap(S3Bucket::isNotFound, ex -> notFound(path));
	}

	@Override
	public Mono<Boolean> isFile(ArtifactPath path) {
		return path.isRoot() ? Mono.just(Boolean.FALSE) : bucket.exists(key(path));
	}

	@Override
	public Mono<List<Entry>> list(ArtifactPath directory) {
		String listed = directoryPrefix(directory);
		return bucket.list(listed, "/")
			.concatMapIterable(page -> children(directory, listed, page))
			.collectSortedList(Comparator.comparing(e -> e.path().fileName()))
			.map(List::copyOf);
	}

	@Override
	public Mono<List<Entry>> walk(ArtifactPath directory) {
		String listed = directoryPrefix(directory);
		return bucket.list(listed, null)
			.concatMapIterable(page -> page.contents())
			.concatMapIterable(object -> file(directory, listed, object).stream().toList())
			.collectSortedList(Comparator.comparing(e -> e.path().toString()))
			.map(List::copyOf);
	}

	@Override
	public Mono<Void> delete(ArtifactPath path) {
		if (path.isRoot()) {
			return Mono.empty();
		}
		Flux<String> underneath = bucket.list(directoryPrefix(path), null)
			.concatMapIterable(page -> page.contents().stream().map(S3Object::key).toList());
		return Flux.concat(Flux.just(key(path)), underneath).flatMap(bucket::delete, DELETE_CONCURRENCY).then();
	}

	@Override
	public void close() {
		bucket.close();
	}

	private List<Entry> children(ArtifactPath directory, String listed, ListObjectsV2Response page) {
		List<Entry> entries = new ArrayList<>();
		for (S3Object object : page.contents()) {
			file(directory, listed, object).ifPresent(entries::add);
		}
		for (CommonPrefix common : page.commonPrefixes()) {
			String name = common.prefix().substring(listed.length(), common.prefix().length() - 1);
			child(directory, listed, name).ifPresent(child -> entries.add(new Entry(child, true, null)));
		}
		return entries;
	}

	private Optional<Entry> file(ArtifactPath directory, String listed, S3Object object) {
		return child(directory, listed, object.key().substring(listed.length()))
			.map(child -> new Entry(child, false, object.size()));
	}

	/** The path of {@code relative} under {@code directory}, unless its key would not be the listed one. */
	private Optional<ArtifactPath> child(ArtifactPath directory, String listed, String relative) {
		try {
			ArtifactPath child = directory.resolve(relative);
			return (listed + relative).equals(key(child)) && !child.equals(directory) ? Optional.of(child)
					: Optional.empty();
		}
		catch (MlflowException ex) {
			return Optional.empty();
		}
	}

	private String key(ArtifactPath path) {
		return prefix + path;
	}

	private String directoryPrefix(ArtifactPath directory) {
		return directory.isRoot() ? prefix : prefix + directory + "/";
	}

	private static MlflowException notFound(ArtifactPath path) {
		return MlflowException.notFound("Artifact '" + path + "' does not exist");
	}

	/** {@code a/b} or {@code /a/b/} as {@code a/b/}; empty stays empty. */
	private static String normalized(String prefix) {
		String trimmed = prefix.replaceAll("^/+|/+$", "");
		return trimmed.isEmpty() ? "" : trimmed + "/";
	}

}
