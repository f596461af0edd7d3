package dev.flywheel.registry.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.model.ModelVersion;
import dev.flywheel.registry.model.ModelVersionStore;
import dev.flywheel.registry.system.Sha256;

/**
 * {@code GET /api/2.0/flywheel/models/{name}/versions/{version}/bundle}: every file of a version's bundle as one zip,
 * {@code version} a number or an alias. The ETag is the version's {@code flywheel.digest} tag when training recorded
 * one, else a SHA-256 over the files' paths and recorded checksums; a matching {@code If-None-Match} gets 304. Entries
 * are sorted and carry a fixed time, so the same bundle always zips to the same bytes.
 */
@RestController
class BundleApi {

	/** 1980-02-01, the first date a zip entry can hold whatever the time zone. */
	private static final long ENTRY_TIME = 315_532_800_000L + 31L * 24 * 3600 * 1000;

	private final ModelVersionStore versions;

	private final ArtifactStore store;

	private final ArtifactIndex index;

	BundleApi(ModelVersionStore versions, ArtifactStore store, ArtifactIndex index) {
		this.versions = versions;
		this.store = store;
		this.index = index;
	}

	@GetMapping("/api/2.0/flywheel/models/{name}/versions/{version}/bundle")
	Mono<Void> bundle(@PathVariable String name, @PathVariable String version, ServerHttpRequest request,
			ServerHttpResponse response) {
		return resolve(name, version).flatMap(found -> {
			if (!ArtifactPath.isStoreUri(found.downloadUri())) {
				return Mono.error(new MlflowException(ErrorCode.RESOURCE_CONFLICT,
						"Model version " + name + "/" + found.version() + " is stored at " + found.downloadUri()
								+ ", outside this registry's artifact store; download it from there"));
			}
			ArtifactPath directory = ArtifactPath.fromUri(found.downloadUri());
			return store.walk(directory).flatMap(files -> {
				if (files.isEmpty()) {
					return Mono.error(MlflowException.notFound("Model version " + name + "/" + found.version()
							+ " has no files at " + found.downloadUri()));
				}
				return etag(found, files).flatMap(etag -> {
					HttpHeaders headers = response.getHeaders();
					headers.setETag("\"" + etag + "\"");
					headers.set("X-Flywheel-Model-Version", found.version());
					if (request.getHeaders().getIfNoneMatch().contains("\"" + etag + "\"")) {
						response.setStatusCode(HttpStatus.NOT_MODIFIED);
						return response.setComplete();
					}
					headers.setContentType(MediaType.parseMediaType("application/zip"));
					headers.setContentDisposition(ContentDisposition.attachment()
						.filename(name + "-" + found.version() + ".zip")
						.build());
					return response.writeWith(zip(directory, files));
				});
			});
		});
	}

	private Mono<ModelVersion> resolve(String name, String version) {
		if (version.chars().allMatch(Character::isDigit) && !version.isEmpty()) {
			try {
				return versions.get(name, Long.parseLong(version));
			}
			catch (NumberFormatException ex) {
				return Mono.error(MlflowException.notFound("Model Version (name=" + name + ", version=" + version
						+ ") not found"));
			}
		}
		return versions.byAlias(name, version)
			.onErrorMap(MlflowException.class, ex -> ex.errorCode() == ErrorCode.INVALID_PARAMETER_VALUE
					? MlflowException.notFound("Registered model " + name + " has no alias '" + version + "'") : ex);
	}

	private Mono<String> etag(ModelVersion version, List<ArtifactStore.Entry> files) {
		if (version.digest().isPresent()) {
			return Mono.just(version.digest().get());
		}
		return index.sha256(files.stream().map(ArtifactStore.Entry::path).toList()).map(recorded -> {
			MessageDigest digest = Sha256.newDigest();
			for (ArtifactStore.Entry file : files) {
				String line = file.path() + "\t" + recorded.getOrDefault(file.path().toString(), "size:" + file.size())
						+ "\n";
				digest.update(line.getBytes(StandardCharsets.UTF_8));
			}
			return Sha256.hex(digest);
		});
	}

	private Publisher<DataBuffer> zip(ArtifactPath directory, List<ArtifactStore.Entry> files) {
		return DataBufferUtils.outputStreamPublisher(out -> writeZip(out, directory, files),
				DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic()::schedule);
	}

	private void writeZip(OutputStream out, ArtifactPath directory, List<ArtifactStore.Entry> files) {
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			for (ArtifactStore.Entry file : files) {
				ZipEntry entry = new ZipEntry(file.path().relativeTo(directory));
				entry.setTime(ENTRY_TIME);
				zip.putNextEntry(entry);
				for (DataBuffer buffer : store.read(file.path()).toIterable()) {
					try (var chunks = buffer.readableByteBuffers()) {
						while (chunks.hasNext()) {
							var chunk = chunks.next();
							byte[] bytes = new byte[chunk.remaining()];
							chunk.get(bytes);
							zip.write(bytes);
						}
					}
					finally {
						DataBufferUtils.release(buffer);
					}
				}
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
