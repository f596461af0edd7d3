package dev.flywheel.registry.artifact;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;

import dev.flywheel.registry.artifact.ArtifactStore.StoredFile;
import dev.flywheel.registry.system.Sha256;

/**
 * Writes one artifact to S3, streaming: the body is measured and hashed as it arrives and cut into parts. A body
 * shorter than the multipart threshold is sent as one PutObject once complete; a longer one becomes a multipart upload
 * whose parts are sent while the rest arrives, a few at a time, so memory stays bounded whatever the size. Nothing is
 * visible until CompleteMultipartUpload, and any failure (a broken body, the size limit, S3 itself) aborts the upload
 * once the parts in flight have settled, so that none lands after the abort; a cancel aborts it at once.
 */
final class S3Upload {

	private static final Logger logger = LoggerFactory.getLogger(S3Upload.class);

	private final S3Bucket bucket;

	private final int partSize;

	private final long threshold;

	private final int concurrency;

	S3Upload(S3Bucket bucket, int partSize, long threshold, int concurrency) {
		this.bucket = bucket;
		this.partSize = partSize;
		this.threshold = threshold;
		this.concurrency = concurrency;
	}

	Mono<StoredFile> write(ArtifactPath path, String key, Flux<DataBuffer> content, long maxBytes) {
		return Mono.defer(() -> {
			MessageDigest sha256 = Sha256.newDigest();
			AtomicLong size = new AtomicLong();
			Consumer<DataBuffer> measure = buffer -> {
				if (size.addAndGet(buffer.readableByteCount()) > maxBytes) {
					throw new DataBufferLimitException("the upload exceeds the limit of " + maxBytes + " bytes");
				}
				try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
					while (chunks.hasNext()) {
						sha256.update(chunks.next());
					}
				}
			};
			// the first batch closes at the threshold, or holds the whole body when that ends first
			return PartSplitter.split(content, partSize, measure)
				.bufferUntil(reachedThreshold())
				.switchOnFirst((first, batches) -> {
					Flux<ByteBuffer> parts = batches.concatMapIterable(batch -> batch, 1);
					boolean large = first.hasValue() && bytes(first.get()) >= threshold;
					return large ? multipart(key, parts) : parts.collectList().flatMap(all -> single(key, all));
				})
				.then(Mono.fromSupplier(() -> new StoredFile(path, size.get(), Sha256.hex(sha256))));
		});
	}

	private Mono<Void> single(String key, List<ByteBuffer> parts) {
		ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(bytes(parts)));
		parts.forEach(part -> body.put(part.duplicate()));
		return bucket.put(key, body.flip());
	}

	private Mono<Void> multipart(String key, Flux<ByteBuffer> parts) {
		return Mono.usingWhen(bucket.startMultipart(key), uploadId -> uploadParts(key, uploadId, parts),
				uploadId -> Mono.empty(), (uploadId, error) -> abort(key, uploadId, error),
				uploadId -> abort(key, uploadId, null));
	}

	/**
	 * Sends the parts, {@code concurrency} at a time, then completes the upload. On the first failure, of the body or
	 * of a part, it stops reading the body and lets the parts in flight settle before failing: a part cancelled while
	 * the server still stores it could land after the abort, and stay stored.
	 */
	private Mono<Void> uploadParts(String key, String uploadId, Flux<ByteBuffer> parts) {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Sinks.One<Boolean> failed = Sinks.one();
		Consumer<Throwable> stop = ex -> {
			failure.compareAndSet(null, ex);
			failed.tryEmitValue(Boolean.TRUE);
		};
		return parts.onErrorResume(ex -> Mono.fromRunnable(() -> stop.accept(ex)))
			.takeUntilOther(failed.asMono())
			.index()
			.flatMap(part -> bucket.uploadPart(key, uploadId, Math.toIntExact(part.getT1() + 1), part.getT2())
				.onErrorResume(ex -> Mono.fromRunnable(() -> stop.accept(ex))), concurrency, 1)
			.collectSortedList(Comparator.comparing(CompletedPart::partNumber))
			.flatMap(done -> failure.get() != null ? Mono.error(failure.get())
					: bucket.completeMultipart(key, uploadId, done));
	}

	private Mono<Void> abort(String key, String uploadId, Throwable cause) {
		logger.debug("Aborting the multipart upload of {} ({})", key, cause == null ? "cancelled" : cause.toString());
		return bucket.abortMultipart(key, uploadId).onErrorResume(ex -> {
			logger.warn("Could not abort the multipart upload {} of {} in {}; its parts stay invisible but stored"
					+ " until a lifecycle rule removes them: {}", uploadId, key, bucket.describe(), ex.getMessage());
			return Mono.empty();
		});
	}

	private Predicate<ByteBuffer> reachedThreshold() {
		AtomicLong seen = new AtomicLong();
		return part -> seen.addAndGet(part.remaining()) >= threshold;
	}

	private static long bytes(List<ByteBuffer> parts) {
		return parts.stream().mapToLong(ByteBuffer::remaining).sum();
	}

}
