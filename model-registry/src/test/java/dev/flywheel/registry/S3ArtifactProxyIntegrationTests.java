package dev.flywheel.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.S3ProxyServer;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.registry.support.MlflowErrors.assertError;
import static dev.flywheel.registry.support.MlflowErrors.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry with {@code artifact-store: s3} on S3Proxy serves MLflow's artifact proxy and the bundle from the
 * bucket: uploads (one over the multipart threshold), downloads with the SHA-256 ETag, listings, a version's bundle
 * zip and deletes, the objects kept under the configured prefix.
 */
class S3ArtifactProxyIntegrationTests extends RegistryTestSupport {

	private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

	private static final S3ProxyServer S3 = S3ProxyServer.shared();

	private static final String BUCKET = S3.newBucket();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		registry.add("flywheel.registry.artifact-store", () -> "s3");
		registry.add("flywheel.registry.s3.endpoint", () -> S3.endpoint().toString());
		registry.add("flywheel.registry.s3.bucket", () -> BUCKET);
		registry.add("flywheel.registry.s3.prefix", () -> "registry/artifacts");
		registry.add("flywheel.registry.s3.path-style-access", () -> "true");
		registry.add("flywheel.registry.s3.access-key", () -> S3ProxyServer.ACCESS_KEY);
		registry.add("flywheel.registry.s3.secret-key", () -> S3ProxyServer.SECRET_KEY);
		// a threshold below the part size: an upload over it goes as a multipart upload of one (last) part
		registry.add("flywheel.registry.s3.multipart-threshold", () -> "512KB");
		registry.add("flywheel.registry.s3.multipart-part-size", () -> "5MB");
	}

	@Test
	void servesMlflowArtifactUploadDownloadListAndDeleteFromTheBucket() {
		String runId = mlflow().createRun().getRunId();
		String model = "0/" + runId + "/artifacts/model";
		byte[] weights = new byte[1024 * 1024 + 5];
		new Random().nextBytes(weights);
		byte[] mlmodel = "artifact_path: model\nflavors: {}\n".getBytes(StandardCharsets.UTF_8);
		int multipartUploads = S3.multipartUploadsStarted();

		assertThat(put(model + "/weights.bin", weights)).isEqualTo("{}");
		assertThat(put(model + "/MLmodel", mlmodel)).isEqualTo("{}");
		assertThat(S3.multipartUploadsStarted() - multipartUploads).isEqualTo(1);
		assertThat(S3.blobs(BUCKET)).contains("registry/artifacts/" + model + "/weights.bin",
				"registry/artifacts/" + model + "/MLmodel");

		HttpResponse<byte[]> download = sendBytes("GET", PROXY + model + "/weights.bin", null);
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.body()).isEqualTo(weights);
		assertThat(download.headers().firstValue("ETag")).contains("\"" + sha256(weights) + "\"");

		HttpResponse<String> listing = send("GET", PROXY.substring(0, PROXY.length() - 1) + "?path=" + model, null);
		JsonNode files = json(listing.body()).path("files");
		assertThat(files.size()).isEqualTo(2);
		assertThat(files.get(0).path("path").asString()).isEqualTo("MLmodel");
		assertThat(files.get(0).path("file_size").asLong()).isEqualTo(mlmodel.length);
		assertThat(files.get(1).path("path").asString()).isEqualTo("weights.bin");
		assertThat(files.get(1).path("file_size").asLong()).isEqualTo(weights.length);

		String name = "s3-" + UUID.randomUUID();
		mlflow().sendPost("registered-models/create", "{\"name\":\"" + name + "\"}");
		mlflow().sendPost("model-versions/create",
				"{\"name\":\"" + name + "\",\"source\":\"runs:/" + runId + "/model\",\"run_id\":\"" + runId + "\"}");
		HttpResponse<byte[]> bundle = sendBytes("GET", "/api/2.0/flywheel/models/" + name + "/versions/1/bundle", null);
		assertThat(bundle.statusCode()).isEqualTo(200);
		assertThat(unzip(bundle.body())).containsOnlyKeys("MLmodel", "weights.bin")
			.hasEntrySatisfying("MLmodel", content -> assertThat(content).isEqualTo(mlmodel))
			.hasEntrySatisfying("weights.bin", content -> assertThat(content).isEqualTo(weights));

		assertThat(send("DELETE", PROXY + model, null).body()).isEqualTo("{}");
		assertError(sendBytes("GET", PROXY + model + "/weights.bin", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertThat(S3.blobs(BUCKET)).noneMatch(blob -> blob.contains(model));
	}

	private String put(String path, byte[] content) {
		HttpResponse<byte[]> answer = sendBytes("PUT", PROXY + path, content);
		assertThat(answer.statusCode()).as("PUT %s: %s", path, new String(answer.body(), StandardCharsets.UTF_8))
			.isEqualTo(200);
		return new String(answer.body(), StandardCharsets.UTF_8);
	}

	private static Map<String, byte[]> unzip(byte[] zip) {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
			for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				entries.put(entry.getName(), in.readAllBytes());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return entries;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
