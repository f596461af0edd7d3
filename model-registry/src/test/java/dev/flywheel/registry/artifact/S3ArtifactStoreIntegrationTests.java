package dev.flywheel.registry.artifact;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.unit.DataSize;

import dev.flywheel.registry.artifact.ArtifactStore.StoredFile;
import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.support.S3ProxyServer;
import dev.flywheel.registry.system.RegistryProperties;
import dev.flywheel.registry.system.Sha256;

import static dev.flywheel.registry.artifact.ArtifactBodies.body;
import static dev.flywheel.registry.artifact.ArtifactBodies.random;
import static dev.flywheel.registry.artifact.ArtifactBodies.read;
import static dev.flywheel.registry.artifact.ArtifactBodies.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The S3 store's own behaviour on S3Proxy, with S3's smallest parts (5 MiB): large uploads go as multipart uploads,
 * streamed with a few parts in memory, and small ones as one put; an upload that fails (body, limit or server) or is
 * cancelled is aborted and leaves no object, part or pending upload; an unreachable server fails within the configured
 * timeout with a message naming the endpoint and the bucket.
 */
class S3ArtifactStoreIntegrationTests {

	private static final DataSize PART = DataSize.ofMegabytes(5);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final S3ProxyServer server = S3ProxyServer.shared();

	private final String bucket = server.newBucket();

	private final S3ArtifactStore store = S3ArtifactStore.create(server.settings(bucket, "artifacts", PART, PART));

	/** A plain client, to ask the server what a store would not tell. */
	private static SdkEventLoopGroup eventLoops;

	private static S3AsyncClient client;

	@BeforeAll
	static void client() {
		eventLoops = S3Clients.eventLoops();
		client = S3Clients.create(S3ProxyServer.shared().settings("any", "", PART, PART), eventLoops);
	}

	@AfterAll
	static void closeClient() {
		client.close();
		eventLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS);
	}

	@AfterEach
	void close() {
		store.close();
	}

	@Test
	void largeArtifactGoesAsMultipartUploadAndRoundTripsWithItsDigest() {
		ArtifactPath path = ArtifactPath.parse("1/run/artifacts/model/weights.bin");
		byte[] bytes = random(12 * 1024 * 1024 + 123);
		int started = server.multipartUploadsStarted();
		int parts = server.partsUploaded();

		long start = System.nanoTime();
		StoredFile stored = store.write(path, body(bytes, 64 * 1024), Long.MAX_VALUE).block(WAIT);
		long uploaded = System.nanoTime();
		byte[] back = read(store, path);
		long downloaded = System.nanoTime();
		System.out.printf("S3 store, 12 MiB artifact: upload %d ms (3 parts), download %d ms%n",
				(uploaded - start) / 1_000_000, (downloaded - uploaded) / 1_000_000);

		assertThat(stored).isEqualTo(new StoredFile(path, bytes.length, sha256(bytes)));
		assertThat(server.multipartUploadsStarted() - started).isEqualTo(1);
		assertThat(server.partsUploaded() - parts).isEqualTo(3);
		assertThat(back.length).isEqualTo(bytes.length);
		assertThat(sha256(back)).isEqualTo(stored.sha256());
		assertThat(server.blobs(bucket)).containsExactly("artifacts/1/run/artifacts/model/weights.bin");
		assertNoPendingUpload();
	}

	@Test
	void uploadStreamsHoldingOnlyAFewPartsAhead() {
		ArtifactPath path = ArtifactPath.parse("streamed/weights.bin");
		int chunk = 64 * 1024;
		int chunks = 40 * 16;
		int parts = server.partsUploaded();
		AtomicLong read = new AtomicLong();
		AtomicLong mostAhead = new AtomicLong();
		MessageDigest sent = Sha256.newDigest();
		Random random = new Random(7);
		Flux<DataBuffer> generated = Flux.range(0, chunks).map(i -> {
			byte[] bytes = new byte[chunk];
			random.nextBytes(bytes);
			sent.update(bytes);
			long ahead = read.addAndGet(chunk) - (long) (server.partsUploaded() - parts) * PART.toBytes();
			mostAhead.accumulateAndGet(ahead, Math::max);
			return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
		});

		long start = System.nanoTime();
		StoredFile stored = store.write(path, generated, Long.MAX_VALUE).block(WAIT);
		System.out.printf("S3 store, 40 MiB streamed: %d ms, at most %.1f MiB read ahead of the server%n",
				(System.nanoTime() - start) / 1_000_000, mostAhead.get() / 1048576.0);

		assertThat(stored.size()).isEqualTo(40L * 1024 * 1024);
		assertThat(stored.sha256()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
		assertThat(server.partsUploaded() - parts).isEqualTo(8);
		// 2 parts in flight, 1 queued, 1 being filled, 1 MB of buffers prefetched, a part's slack: never the whole body
		assertThat(mostAhead.get()).isLessThanOrEqualTo(5 * PART.toBytes() + 1024 * 1024);
		store.delete(path).block(WAIT);
	}

	@Test
	void smallArtifactGoesAsOnePut() {
		ArtifactPath path = ArtifactPath.parse("1/run/artifacts/model/MLmodel");
		byte[] bytes = random((int) PART.toBytes() - 1);
		int started = server.multipartUploadsStarted();

		StoredFile stored = store.write(path, body(bytes, 64 * 1024), Long.MAX_VALUE).block(WAIT);

		assertThat(stored).isEqualTo(new StoredFile(path, bytes.length, sha256(bytes)));
		assertThat(server.multipartUploadsStarted()).isEqualTo(started);
		assertThat(read(store, path)).isEqualTo(bytes);
	}

	@Test
	void uploadOverTheLimitIsAbortedAndLeavesNothing() {
		ArtifactPath path = ArtifactPath.parse("big/weights.bin");
		int aborted = server.multipartUploadsAborted();

		assertThatThrownBy(() -> store.write(path, body(random(12 * 1024 * 1024), 64 * 1024), 7 * 1024 * 1024)
			.block(WAIT)).isInstanceOf(DataBufferLimitException.class);

		assertThat(server.multipartUploadsAborted() - aborted).isEqualTo(1);
		assertThat(server.blobs(bucket)).isEmpty();
		assertNoPendingUpload();
		assertThat(store.isFile(path).block(WAIT)).isFalse();
	}

	@Test
	void bodyThatFailsMidwayIsAbortedAndLeavesNothing() {
		ArtifactPath path = ArtifactPath.parse("cut/weights.bin");
		int started = server.multipartUploadsStarted();
		int aborted = server.multipartUploadsAborted();
		Flux<DataBuffer> cutOff = body(random(6 * 1024 * 1024), 64 * 1024)
			.concatWith(Flux.error(new IOException("connection reset by peer")));

		assertThatThrownBy(() -> store.write(path, cutOff, Long.MAX_VALUE).block(WAIT))
			.hasMessageContaining("connection reset by peer");

		assertThat(server.multipartUploadsStarted() - started).isEqualTo(1);
		assertThat(server.multipartUploadsAborted() - aborted).isEqualTo(1);
		assertThat(server.blobs(bucket)).isEmpty();
		assertNoPendingUpload();
	}

	@Test
	void failingServerStopsTheUploadAtOnceAndLeavesNothing() {
		ArtifactPath path = ArtifactPath.parse("refused/weights.bin");
		int aborted = server.multipartUploadsAborted();
		AtomicLong read = new AtomicLong();
		Flux<DataBuffer> large = body(random(1024 * 1024), 64 * 1024).repeat(39)
			.doOnNext(buffer -> read.addAndGet(buffer.readableByteCount()));
		server.failPartsAfterTheFirstOf("artifacts/refused/weights.bin");
		try {
			assertThatThrownBy(() -> store.write(path, large, Long.MAX_VALUE).block(WAIT))
				.isInstanceOfSatisfying(MlflowException.class,
						ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE))
				.hasMessageContaining("UploadPart of 'artifacts/refused/weights.bin'");
		}
		finally {
			server.failPartsAfterTheFirstOf(null);
		}
		// one part stored, then at most the read-ahead of uploadStreamsHoldingOnlyAFewPartsAhead: never the whole body
		// (a server failing only part 2 is not enough: while the SDK retries it, the other slot may send all the rest)
		assertThat(read.get()).as("bytes read of 40 MiB").isLessThanOrEqualTo(6 * PART.toBytes() + 1024 * 1024);
		assertThat(server.multipartUploadsAborted() - aborted).isEqualTo(1);
		assertThat(server.blobs(bucket)).isEmpty();
		assertNoPendingUpload();
	}

	@Test
	void cancelledUploadIsAbortedAndLeavesNothing() {
		ArtifactPath path = ArtifactPath.parse("cancelled/weights.bin");
		int parts = server.partsUploaded();
		int aborted = server.multipartUploadsAborted();
		Flux<DataBuffer> stalled = body(random(6 * 1024 * 1024), 64 * 1024)
			.concatWith(Flux.never());

		Disposable upload = store.write(path, stalled, Long.MAX_VALUE).subscribe();
		await().atMost(WAIT).until(() -> server.partsUploaded() > parts);
		upload.dispose();

		await().atMost(WAIT).until(() -> server.multipartUploadsAborted() > aborted);
		assertThat(server.blobs(bucket)).isEmpty();
		assertNoPendingUpload();
	}

	@Test
	void unreachableServerFailsWithinTheTimeoutNamingEndpointAndBucket() throws IOException {
		// a socket that accepts connections (in the kernel's backlog) and never answers: the worst case, a hang
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
			var settings = new RegistryProperties.S3(endpoint, "us-east-1", "models", "", true, "key", "secret", PART,
					PART, 2, Duration.ofMillis(300), Duration.ofMillis(150), Duration.ofMillis(150));

			long start = System.nanoTime();
			try (S3ArtifactStore unreachable = S3ArtifactStore.create(settings)) {
				assertThatThrownBy(() -> unreachable.isFile(ArtifactPath.parse("a/b.txt")).block(WAIT))
					.isInstanceOfSatisfying(MlflowException.class,
							ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE))
					.hasMessageContaining(endpoint)
					.hasMessageContaining("'models'")
					.hasMessageContaining("HeadObject");
			}
			Duration failedAfter = Duration.ofNanos(System.nanoTime() - start);
			System.out.printf("S3 store, a server that never answers: HeadObject failed after %d ms (timeout 300 ms)%n",
					failedAfter.toMillis());
			assertThat(failedAfter).isLessThan(Duration.ofSeconds(5));

			start = System.nanoTime();
			assertThatThrownBy(() -> S3ArtifactStore.connect(settings)).isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("The S3 artifact store cannot reach bucket 'models' at " + endpoint);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void startFailsWhenTheBucketDoesNotExist() {
		var settings = server.settings("no-such-bucket", "", PART, PART);
		assertThatThrownBy(() -> S3ArtifactStore.connect(settings)).isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith(
					"The S3 artifact store cannot reach bucket 'no-such-bucket' at " + server.endpoint());
		S3ArtifactStore.connect(server.settings(bucket, "", PART, PART)).close();
	}

	@Test
	void invalidSettingsAreReportedTogether() {
		var settings = new RegistryProperties.S3("not a url", "us-east-1", "", "", true,
				"key", "", PART, DataSize.ofMegabytes(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
				Duration.ofSeconds(1));
		assertThatThrownBy(() -> S3ArtifactStore.create(settings)).isInstanceOf(IllegalStateException.class)
			.hasMessageContainingAll("bucket is empty", "access-key and secret-key", "multipart-part-size",
					"multipart-concurrency", "endpoint is not a URL");
	}

	/** ListMultipartUploads, through the S3 API as any client would ask. */
	private void assertNoPendingUpload() {
		List<?> uploads = client.listMultipartUploads(request -> request.bucket(bucket)).join().uploads();
		assertThat(uploads).isEmpty();
	}

}
