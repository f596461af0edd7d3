package dev.flywheel.registry.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the registry ({@code flywheel.*}).
 *
 * @param home the Flywheel home directory (FLYWHEEL_HOME); the embedded database and the artifact store live under it
 * @param security who may write
 * @param registry limits and stores of the registry itself
 */
@ConfigurationProperties("flywheel")
public record RegistryProperties(@DefaultValue("./.flywheel") Path home, @DefaultValue Security security,
		@DefaultValue Registry registry) {

	/**
	 * @param token when set, every write needs {@code Authorization: Bearer <token>}; a registry bound to a
	 * non-loopback address refuses to start without one
	 */
	public record Security(@DefaultValue("") String token) {
	}

	/**
	 * @param artifactRoot where the local artifact store keeps files; empty means {@code <home>/registry/artifacts}
	 * @param maxRequestSize the largest JSON request body
	 * @param maxArtifactSize the largest artifact upload
	 * @param eventPollInterval how often an event stream looks for events written by other replicas
	 * @param retryDedupWindow how long an identical {@code model-versions/create} is taken for a retry of the first
	 * @param databaseThreads threads that run database work, so that an embedded database never blocks the event loop
	 * @param databaseTimeout the longest a unit of database work may take before the request fails with 503
	 * @param artifactStore where artifact bytes live: the local file system or an S3-compatible bucket
	 * @param s3 the S3-compatible store, when {@code artifactStore} is {@code s3}
	 */
	public record Registry(@DefaultValue("") String artifactRoot, @DefaultValue("16MB") DataSize maxRequestSize,
			@DefaultValue("2GB") DataSize maxArtifactSize, @DefaultValue("1s") Duration eventPollInterval,
			@DefaultValue("30s") Duration retryDedupWindow, @DefaultValue("8") int databaseThreads,
			@DefaultValue("30s") Duration databaseTimeout, @DefaultValue("local") ArtifactStoreType artifactStore,
			@DefaultValue S3 s3) {
	}

	/** The kinds of artifact store. */
	public enum ArtifactStoreType {

		/** Files under {@code artifact-root}. */
		LOCAL,

		/** Objects in an S3-compatible bucket. */
		S3

	}

	/**
	 * @param endpoint the server's URL (MinIO, Ceph, S3Proxy, ...); empty means AWS S3 itself, in {@code region}
	 * @param region the region requests are signed for; S3-compatible servers mostly accept any
	 * @param bucket the bucket that holds the artifacts; it must exist, and the registry checks that it can reach it
	 * at start
	 * @param prefix the key prefix under which every artifact is kept, e.g. {@code flywheel/artifacts}; empty means the
	 * bucket's root
	 * @param pathStyleAccess addresses objects as {@code <endpoint>/<bucket>/<key>} instead of
	 * {@code <bucket>.<host>/<key>}; most S3-compatible servers need it
	 * @param accessKey with {@code secretKey}, static credentials; empty means the SDK's default chain (environment,
	 * system properties, profile, web identity, container or instance role)
	 * @param secretKey the secret of {@code accessKey}
	 * @param multipartThreshold an upload this large or larger goes as a multipart upload, a smaller one as a single
	 * PutObject (held in memory until it is sent)
	 * @param multipartPartSize the size of each part of a multipart upload; S3 needs at least 5MB
	 * @param multipartConcurrency how many parts of one upload are sent at once; with the part being filled, bounds the
	 * memory an upload holds to about {@code (multipartConcurrency + 2) * multipartPartSize}
	 * @param apiCallTimeout the longest one S3 call may take, retries included (a download: until its body starts)
	 * @param apiCallAttemptTimeout the longest one attempt of a call may take, and the longest a connection may stay
	 * idle while a body is sent or received
	 * @param connectTimeout the longest opening a connection may take
	 */
	public record S3(@DefaultValue("") String endpoint, @DefaultValue("us-east-1") String region,
			@DefaultValue("") String bucket, @DefaultValue("") String prefix,
			@DefaultValue("false") boolean pathStyleAccess, @DefaultValue("") String accessKey,
			@DefaultValue("") String secretKey, @DefaultValue("8MB") DataSize multipartThreshold,
			@DefaultValue("8MB") DataSize multipartPartSize, @DefaultValue("2") int multipartConcurrency,
			@DefaultValue("60s") Duration apiCallTimeout, @DefaultValue("30s") Duration apiCallAttemptTimeout,
			@DefaultValue("5s") Duration connectTimeout) {

		/** Where the bucket is, for messages: the endpoint, or AWS S3 and the region. */
		public String location() {
			return endpoint.isBlank() ? "AWS S3 (" + region + ")" : endpoint;
		}

		/** Leaves the secret out, should the settings ever be logged. */
		@Override
		public String toString() {
			return "S3[endpoint=" + location() + ", bucket=" + bucket + ", prefix=" + prefix + ", accessKey="
					+ accessKey + ", secretKey=" + (secretKey.isEmpty() ? "" : "***") + "]";
		}

	}

	public Path artifactRoot() {
		return registry.artifactRoot().isBlank() ? home.resolve("registry").resolve("artifacts")
				: Path.of(registry.artifactRoot());
	}

}
