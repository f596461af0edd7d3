package dev.flywheel.registry.artifact;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

import dev.flywheel.registry.system.RegistryProperties;

/**
 * Builds the AWS SDK's asynchronous S3 client from the registry's settings: Netty for HTTP, a timeout on every call
 * and on every attempt, static credentials or the SDK's default chain. Checksums are sent and checked only where an
 * operation requires them: many S3-compatible servers reject the SDK's newer trailing checksums, and the registry
 * computes each artifact's SHA-256 itself.
 */
final class S3Clients {

	/** S3's smallest part, except for the last one of an upload. */
	static final long MIN_PART_SIZE = 5L * 1024 * 1024;

	private S3Clients() {
	}

	/** The configured bucket, through a new client on its own event loops, which closing the bucket shuts down. */
	static S3Bucket open(RegistryProperties.S3 settings) {
		validate(settings);
		SdkEventLoopGroup eventLoops = eventLoops();
		try {
			return new S3Bucket(create(settings, eventLoops), eventLoops, settings.bucket(), settings.location());
		}
		catch (RuntimeException ex) {
			eventLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS);
			throw ex;
		}
	}

	/**
	 * Event loops for the client's connections. Given to the client rather than made by it, so that closing can skip
	 * Netty's quiet period: the client waits two seconds for one when it owns its loops.
	 */
	static SdkEventLoopGroup eventLoops() {
		return SdkEventLoopGroup.builder()
			.numberOfThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
			.build();
	}

	static S3AsyncClient create(RegistryProperties.S3 settings, SdkEventLoopGroup eventLoops) {
		S3AsyncClientBuilder builder = S3AsyncClient.builder()
			.region(Region.of(settings.region()))
			.forcePathStyle(settings.pathStyleAccess())
			.credentialsProvider(credentials(settings))
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.httpClientBuilder(NettyNioAsyncHttpClient.builder()
				.eventLoopGroup(eventLoops)
				.connectionTimeout(settings.connectTimeout())
				.readTimeout(settings.apiCallAttemptTimeout())
				.writeTimeout(settings.apiCallAttemptTimeout()))
			.overrideConfiguration(override -> override.apiCallTimeout(settings.apiCallTimeout())
				.apiCallAttemptTimeout(settings.apiCallAttemptTimeout()));
		if (!settings.endpoint().isBlank()) {
			builder.endpointOverride(URI.create(settings.endpoint()));
		}
		return builder.build();
	}

	private static AwsCredentialsProvider credentials(RegistryProperties.S3 settings) {
		if (settings.accessKey().isBlank()) {
			return DefaultCredentialsProvider.builder().build();
		}
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
				settings.secretKey()));
	}

	/** Every problem of the settings at once, so that one restart fixes them all. */
	static void validate(RegistryProperties.S3 settings) {
		List<String> problems = new ArrayList<>();
		if (settings.bucket().isBlank()) {
			problems.add("flywheel.registry.s3.bucket is empty");
		}
		if (settings.accessKey().isBlank() != settings.secretKey().isBlank()) {
			problems.add("flywheel.registry.s3.access-key and secret-key must be set together");
		}
		long partSize = settings.multipartPartSize().toBytes();
		if (partSize < MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
			problems.add("flywheel.registry.s3.multipart-part-size must be between 5MB and 2047MB, not " + partSize
					+ " bytes");
		}
		long threshold = settings.multipartThreshold().toBytes();
		if (threshold < 0 || threshold > Integer.MAX_VALUE - 8) {
			problems.add("flywheel.registry.s3.multipart-threshold must be between 0 and 2047MB, not " + threshold
					+ " bytes");
		}
		if (settings.multipartConcurrency() < 1) {
			problems.add("flywheel.registry.s3.multipart-concurrency must be at least 1");
		}
		for (var timeout : List.of(settings.apiCallTimeout(), settings.apiCallAttemptTimeout(),
				settings.connectTimeout())) {
			if (timeout.isZero() || timeout.isNegative()) {
				problems.add("the S3 timeouts must be positive, not " + timeout);
			}
		}
		if (!settings.endpoint().isBlank()) {
			try {
				URI endpoint = URI.create(settings.endpoint());
				if (endpoint.getScheme() == null || endpoint.getHost() == null) {
					problems.add("flywheel.registry.s3.endpoint is not a URL: " + settings.endpoint());
				}
			}
			catch (IllegalArgumentException ex) {
				problems.add("flywheel.registry.s3.endpoint is not a URL: " + settings.endpoint());
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid S3 artifact store settings: " + String.join("; ", problems));
		}
	}

}
