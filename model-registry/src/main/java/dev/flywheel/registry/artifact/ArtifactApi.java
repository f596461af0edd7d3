package dev.flywheel.registry.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.mlflow.MlflowRequest;
import dev.flywheel.registry.run.RunStore;
import dev.flywheel.registry.system.RegistryProperties;

/**
 * MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/<path>}: PUT, GET, list, DELETE) and the
 * run-based {@code artifacts/list}. Paths are read from the raw request path, so encoded traversal is seen and
 * refused. Multipart upload is declined with MLflow's own 501, after which MLflow clients fall back to a single PUT.
 */
@RestController
class ArtifactApi {

	private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

	private final ArtifactStore store;

	private final ArtifactIndex index;

	private final RunStore runs;

	private final long maxArtifactBytes;

	ArtifactApi(ArtifactStore store, ArtifactIndex index, RunStore runs, RegistryProperties properties) {
		this.store = store;
		this.index = index;
		this.runs = runs;
		this.maxArtifactBytes = properties.registry().maxArtifactSize().toBytes();
	}

	@PutMapping(PROXY + "/**")
	Mono<Map<String, Object>> upload(ServerHttpRequest request) {
		ArtifactPath path = pathOf(request);
		long declared = request.getHeaders().getContentLength();
		if (declared > maxArtifactBytes) {
			return Mono.error(new DataBufferLimitException("the upload declares " + declared
					+ " bytes, over the limit of " + maxArtifactBytes));
		}
		return store.write(path, request.getBody(), maxArtifactBytes).flatMap(index::record).thenReturn(Map.of());
	}

	@GetMapping(PROXY + "/**")
	Mono<Void> download(ServerHttpRequest request, ServerHttpResponse response) {
		ArtifactPath path = pathOf(request);
		return store.isFile(path).flatMap(isFile -> {
			if (!isFile) {
				return Mono.error(MlflowException.notFound("Artifact '" + path + "' does not exist"));
			}
			return index.sha256(List.of(path)).flatMap(sha -> {
				HttpHeaders headers = response.getHeaders();
				headers.setContentType(MediaTypeFactory.getMediaType(path.fileName())
					.orElse(MediaType.APPLICATION_OCTET_STREAM));
				headers.setContentDisposition(ContentDisposition.attachment().filename(path.fileName()).build());
				String digest = sha.get(path.toString());
				if (digest != null) {
					headers.setETag("\"" + digest + "\"");
				}
				return store.localFile(path)
					.map(Optional::of)
					.defaultIfEmpty(Optional.empty())
					.flatMap(file -> file.isPresent() && response instanceof ZeroCopyHttpOutputMessage zeroCopy
							? sendFile(zeroCopy, file.get()) : response.writeWith(store.read(path)));
			});
		});
	}

	private static Mono<Void> sendFile(ZeroCopyHttpOutputMessage response, Path file) {
		try {
			return response.writeWith(file, 0, Files.size(file));
		}
		catch (IOException ex) {
			return Mono.error(MlflowException.notFound("Artifact file " + file.getFileName() + " is gone"));
		}
	}

	@GetMapping(PROXY)
	Mono<Map<String, Object>> list(@RequestParam(name = "path", required = false) String path) {
		ArtifactPath directory = ArtifactPath.parse(path);
		return store.list(directory).map(entries -> entries.isEmpty() ? Map.of()
				: Map.of("files", entries.stream().map(e -> fileInfo(e.path().fileName(), e)).toList()));
	}

	@DeleteMapping(PROXY + "/**")
	Mono<Map<String, Object>> delete(ServerHttpRequest request) {
		ArtifactPath path = pathOf(request);
		if (path.isRoot()) {
			return Mono.error(MlflowException.invalid("Invalid path: the artifact root cannot be deleted"));
		}
		return store.delete(path).then(index.forget(path)).thenReturn(Map.of());
	}

	@PostMapping({ "/api/2.0/mlflow-artifacts/mpu/create/**", "/api/2.0/mlflow-artifacts/mpu/complete/**",
			"/api/2.0/mlflow-artifacts/mpu/abort/**" })
	Mono<Map<String, Object>> multipart() {
		return Mono.error(new MlflowException(ErrorCode.NOT_IMPLEMENTED,
				"Multipart upload is not supported for the current artifact repository"));
	}

	/** {@code GET /api/2.0/mlflow/artifacts/list?run_id=&path=}: a run's artifacts, paths relative to its root. */
	@GetMapping({ "/api/2.0/mlflow/artifacts/list", "/ajax-api/2.0/mlflow/artifacts/list" })
	Mono<Map<String, Object>> listRunArtifacts(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		String relative = request.string("path").orElse("");
		return runs.get(runId).flatMap(run -> {
			String rootUri = run.info().artifactUri();
			if (!ArtifactPath.isStoreUri(rootUri)) {
				return Mono.error(MlflowException.invalid("Run " + runId + " keeps its artifacts at " + rootUri
						+ ", outside this registry's store"));
			}
			ArtifactPath root = ArtifactPath.fromUri(rootUri);
			ArtifactPath directory = root.resolve(relative);
			return store.list(directory)
				.map(entries -> Map.of("root_uri", rootUri, "files",
						entries.stream().map(e -> fileInfo(e.path().relativeTo(root), e)).toList()));
		});
	}

	private static Map<String, Object> fileInfo(String path, ArtifactStore.Entry entry) {
		return entry.directory() ? Map.of("path", path, "is_dir", true)
				: Map.of("path", path, "is_dir", false, "file_size", entry.size());
	}

	private static ArtifactPath pathOf(ServerHttpRequest request) {
		String raw = request.getPath().pathWithinApplication().value();
		int start = raw.indexOf(PROXY);
		return ArtifactPath.parse(raw.substring(start + PROXY.length()).replaceFirst("^/", ""));
	}

}
