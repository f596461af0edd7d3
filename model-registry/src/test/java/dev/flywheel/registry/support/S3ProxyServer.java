package dev.flywheel.registry.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

import org.springframework.util.unit.DataSize;

import dev.flywheel.registry.system.RegistryProperties;

/**
 * A real S3-compatible server for the tests: S3Proxy in this JVM over jclouds' in-memory ("transient") blob store, on
 * a free loopback port, with signature checks on, started once per JVM. It counts the multipart calls that reach the
 * blob store, so a test can tell a multipart upload from a single put, lists a bucket's raw blobs, in which a pending
 * multipart upload's parts and stubs would show, so a test can see that nothing was left behind, and can fail parts.
 */
public final class S3ProxyServer {

	public static final String ACCESS_KEY = "flywheel-test";

	public static final String SECRET_KEY = "flywheel-test-secret";

	private static S3ProxyServer shared;

	private final CountingBlobStore blobStore;

	private final URI endpoint;

	private S3ProxyServer() throws Exception {
		BlobStoreContext context = ContextBuilder.newBuilder("transient")
			.credentials(ACCESS_KEY, SECRET_KEY)
			.build(BlobStoreContext.class);
		this.blobStore = new CountingBlobStore(context.getBlobStore());
		S3Proxy proxy = S3Proxy.builder()
			.blobStore(blobStore)
			.endpoint(URI.create("http://127.0.0.1:0"))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			.ignoreUnknownHeaders(true)
			.build();
		proxy.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!"STARTED".equals(proxy.getState())) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
			}
			Thread.sleep(10);
		}
		this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
	}

	/** The server of this JVM, started on first use. */
	public static synchronized S3ProxyServer shared() {
		if (shared == null) {
			try {
				shared = new S3ProxyServer();
			}
			catch (Exception ex) {
				throw new IllegalStateException("S3Proxy could not start", ex);
			}
		}
		return shared;
	}

	public URI endpoint() {
		return endpoint;
	}

	/** Creates a bucket with a fresh name. */
	public String newBucket() {
		String name = "flywheel-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
		blobStore.createContainerInLocation(null, name);
		return name;
	}

	/** Every blob the bucket holds: objects, and the parts and stubs of multipart uploads not completed. */
	public List<String> blobs(String bucket) {
		return blobStore.list(bucket, ListContainerOptions.Builder.recursive())
			.stream()
			.map(StorageMetadata::getName)
			.sorted()
			.toList();
	}

	/** Store settings for a bucket of this server, with the given multipart sizes and the SDK's timeouts. */
	public RegistryProperties.S3 settings(String bucket, String prefix, DataSize multipartThreshold,
			DataSize multipartPartSize) {
		return new RegistryProperties.S3(endpoint.toString(), "us-east-1", bucket, prefix, true, ACCESS_KEY,
				SECRET_KEY, multipartThreshold, multipartPartSize, 2, Duration.ofSeconds(20), Duration.ofSeconds(10),
				Duration.ofSeconds(2));
	}

	public int multipartUploadsStarted() {
		return blobStore.started.get();
	}

	public int partsUploaded() {
		return blobStore.parts.get();
	}

	public int multipartUploadsCompleted() {
		return blobStore.completed.get();
	}

	public int multipartUploadsAborted() {
		return blobStore.aborted.get();
	}

	/**
	 * From now on, every part of {@code key} after its first fails with a server error (500), retries included, as a
	 * server that breaks mid-upload; null stops that.
	 */
	public void failPartsAfterTheFirstOf(String key) {
		blobStore.failingKey = key;
	}

	/** The in-memory blob store, counting the multipart calls S3Proxy makes on it. */
	private static final class CountingBlobStore extends ForwardingBlobStore {

		private final AtomicInteger started = new AtomicInteger();

		private final AtomicInteger parts = new AtomicInteger();

		private final AtomicInteger completed = new AtomicInteger();

		private final AtomicInteger aborted = new AtomicInteger();

		private volatile String failingKey;

		CountingBlobStore(BlobStore delegate) {
			super(delegate);
		}

		@Override
		public MultipartUpload initiateMultipartUpload(String container, BlobMetadata blobMetadata,
				PutOptions options) {
			MultipartUpload upload = super.initiateMultipartUpload(container, blobMetadata, options);
			started.incrementAndGet();
			return upload;
		}

		@Override
		public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
			if (partNumber > 1 && upload.blobName().equals(failingKey)) {
				throw new IllegalStateException("a failure injected by the test");
			}
			MultipartPart part = super.uploadMultipartPart(upload, partNumber, payload);
			parts.incrementAndGet();
			return part;
		}

		@Override
		public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> uploadedParts) {
			String etag = super.completeMultipartUpload(upload, uploadedParts);
			completed.incrementAndGet();
			return etag;
		}

		@Override
		public void abortMultipartUpload(MultipartUpload upload) {
			super.abortMultipartUpload(upload);
			aborted.incrementAndGet();
		}

	}

}
