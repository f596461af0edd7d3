package dev.flywheel.registry.artifact;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;

/**
 * One bucket of an S3-compatible server through the SDK's asynchronous client. Each call is a {@link Mono} that is
 * bounded by the client's call and attempt timeouts and cancels its request when cancelled. A failure of the server or
 * of the network becomes a {@code TEMPORARILY_UNAVAILABLE} error (503) naming the endpoint, the bucket, the call and
 * the key; a missing key is left as the SDK's 404, for the caller to tell apart with {@link #isNotFound}.
 */
final class S3Bucket implements AutoCloseable {

	private final S3AsyncClient client;

	private final SdkEventLoopGroup eventLoops;

	private final String name;

	private final String location;

	S3Bucket(S3AsyncClient client, SdkEventLoopGroup eventLoops, String name, String location) {
		this.client = client;
		this.eventLoops = eventLoops;
		this.name = name;
		this.location = location;
	}

	/** HeadBucket: fails unless the bucket exists and these credentials may use it. */
	Mono<Void> verify() {
		return call("HeadBucket", "", () -> client.headBucket(request -> request.bucket(name))).then();
	}

	/** HeadObject: whether an object has this key. */
	Mono<Boolean> exists(String key) {
		return call("HeadObject", key, () -> client.headObject(request -> request.bucket(name).key(key)))
			.thenReturn(Boolean.TRUE)
			.onErrorResume(S3Bucket::isNotFound, ex -> Mono.just(Boolean.FALSE));
	}

	/** GetObject: the object's bytes as they arrive. */
	Flux<ByteBuffer> read(String key) {
		return call("GetObject", key, () -> client.getObject(request -> request.bucket(name).key(key),
				AsyncResponseTransformer.toPublisher()))
			.flatMapMany(body -> Flux.from(body).onErrorMap(S3Bucket::isFailure,
					ex -> unavailable("GetObject", key, ex)));
	}

	/** PutObject: the whole object in one request. */
	Mono<Void> put(String key, ByteBuffer body) {
		return call("PutObject", key, () -> client.putObject(
				request -> request.bucket(name).key(key).contentLength((long) body.remaining()),
				AsyncRequestBody.fromByteBufferUnsafe(body)))
			.then();
	}

	/** CreateMultipartUpload: the new upload's id. */
	Mono<String> startMultipart(String key) {
		return call("CreateMultipartUpload", key,
				() -> client.createMultipartUpload(request -> request.bucket(name).key(key)))
			.map(response -> response.uploadId());
	}

	Mono<CompletedPart> uploadPart(String key, String uploadId, int partNumber, ByteBuffer body) {
		return call("UploadPart", key, () -> client.uploadPart(request -> request.bucket(name)
			.key(key)
			.uploadId(uploadId)
			.partNumber(partNumber)
			.contentLength((long) body.remaining()), AsyncRequestBody.fromByteBufferUnsafe(body)))
			.map(response -> CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
	}

	/** CompleteMultipartUpload: the object appears, made of {@code parts} (in part-number order). */
	Mono<Void> completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
		return call("CompleteMultipartUpload", key, () -> client.completeMultipartUpload(request -> request
			.bucket(name)
			.key(key)
			.uploadId(uploadId)
			.multipartUpload(upload -> upload.parts(parts)))).then();
	}

	/** AbortMultipartUpload: the server drops the parts it holds. */
	Mono<Void> abortMultipart(String key, String uploadId) {
		return call("AbortMultipartUpload", key,
				() -> client.abortMultipartUpload(request -> request.bucket(name).key(key).uploadId(uploadId)))
			.then();
	}

	/** ListObjectsV2, page by page; with a delimiter the pages also hold the common prefixes. */
	Flux<ListObjectsV2Response> list(String prefix, String delimiter) {
		ListObjectsV2Request request = ListObjectsV2Request.builder()
			.bucket(name)
			.prefix(prefix)
			.delimiter(delimiter)
			.build();
		return Flux.from(client.listObjectsV2Paginator(request))
			.onErrorMap(S3Bucket::isFailure, ex -> unavailable("ListObjectsV2", prefix, ex));
	}

	/** DeleteObject: succeeds whether or not the key exists. */
	Mono<Void> delete(String key) {
		return call("DeleteObject", key, () -> client.deleteObject(request -> request.bucket(name).key(key))).then();
	}

	/** "bucket 'b' at http://host:port", for messages. */
	String describe() {
		return "bucket '" + name + "' at " + location;
	}

	static boolean isNotFound(Throwable ex) {
		return ex instanceof S3Exception s3 && s3.statusCode() == 404;
	}

	@Override
	public void close() {
		client.close();
		// no quiet period: with the client closed, nothing submits work to these loops any more
		eventLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS);
	}

	private <T> Mono<T> call(String operation, String key, Supplier<CompletableFuture<T>> request) {
		return Mono.fromFuture(request).onErrorMap(S3Bucket::isFailure,
				ex -> unavailable(operation, key, ex));
	}

	/** The failures that become 503: the SDK's (network, timeouts, the server's errors) but a missing key. */
	private static boolean isFailure(Throwable ex) {
		return ex instanceof SdkException && !isNotFound(ex);
	}

	private MlflowException unavailable(String operation, String key, Throwable ex) {
		String target = key.isEmpty() ? "" : " of '" + key + "'";
		return new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The artifact store (" + describe()
				+ ") failed on " + operation + target + ": " + ex.getMessage());
	}

}
