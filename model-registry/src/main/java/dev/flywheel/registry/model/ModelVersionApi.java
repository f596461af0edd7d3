package dev.flywheel.registry.model;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.mlflow.MlflowRequest;
import dev.flywheel.registry.mlflow.Validation;
import dev.flywheel.registry.model.ModelVersionStore.NewVersion;
import dev.flywheel.registry.run.RunStore;
import dev.flywheel.registry.search.FilterParser;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;

/** MLflow's model version endpoints, legacy stages included. */
@RestController
@RequestMapping({ "/api/2.0/mlflow/model-versions", "/ajax-api/2.0/mlflow/model-versions" })
class ModelVersionApi {

	private static final String RUNS_SCHEME = "runs:/";

	private final ModelVersionStore versions;

	private final ModelVersionSearch search;

	private final RunStore runs;

	ModelVersionApi(ModelVersionStore versions, ModelVersionSearch search, RunStore runs) {
		this.versions = versions;
		this.search = search;
		this.runs = runs;
	}

	@PostMapping("/create")
	Mono<Map<String, ModelVersion>> create(MlflowRequest request) {
		String name = ModelRequests.name(request);
		String source = request.requiredString("source");
		Validation.length("Model version source", source, Validation.MAX_SOURCE_LENGTH);
		String runId = request.string("run_id").filter(s -> !s.isEmpty()).orElse(null);
		if (runId != null) {
			Validation.runId(runId);
		}
		String runLink = request.string("run_link").filter(s -> !s.isEmpty()).orElse(null);
		Validation.length("run_link", runLink, 500);
		String description = ModelRequests.description(request);
		List<KeyValue> tags = ModelRequests.tags(request.keyValues("tags"));
		String userId = request.string("user_id").orElse(null);
		return storageLocation(source)
			.map(location -> new NewVersion(name, source, location.isEmpty() ? null : location, runId, runLink,
					description, userId, tags))
			.flatMap(versions::create)
			.map(version -> Map.of("model_version", version));
	}

	/** A {@code runs:/<id>/<path>} source resolved to where the run keeps that path; other sources as they are. */
	private Mono<String> storageLocation(String source) {
		if (!source.startsWith(RUNS_SCHEME)) {
			return Mono.just("");
		}
		String rest = source.substring(RUNS_SCHEME.length());
		int slash = rest.indexOf('/');
		String runId = slash < 0 ? rest : rest.substring(0, slash);
		String path = slash < 0 ? "" : rest.substring(slash + 1);
		if (runId.isEmpty()) {
			return Mono.error(MlflowException.invalid("Invalid model version source '" + source
					+ "': expected runs:/<run_id>/<path>"));
		}
		return runs.get(runId)
			.map(run -> path.isEmpty() ? run.info().artifactUri() : run.info().artifactUri() + "/" + path);
	}

	@GetMapping("/get")
	Mono<Map<String, ModelVersion>> get(MlflowRequest request) {
		return versions.get(ModelRequests.name(request), ModelRequests.version(request))
			.map(version -> Map.of("model_version", version));
	}

	@PatchMapping("/update")
	Mono<Map<String, ModelVersion>> update(MlflowRequest request) {
		return versions
			.describe(ModelRequests.name(request), ModelRequests.version(request), ModelRequests.description(request))
			.map(version -> Map.of("model_version", version));
	}

	@DeleteMapping("/delete")
	Mono<Map<String, Object>> delete(MlflowRequest request) {
		return versions.delete(ModelRequests.name(request), ModelRequests.version(request)).thenReturn(Map.of());
	}

	@GetMapping("/search")
	Mono<Map<String, Object>> search(MlflowRequest request) {
		Page page = Page.of(request.int32("max_results").orElse(null),
				request.string("page_token").orElse(null), 10_000, 200_000);
		return search
			.search(FilterParser.parse(request.string("filter").orElse(null)),
					OrderBy.parseAll(request.strings("order_by")), page)
			.map(result -> ModelRequests.page("model_versions", result.modelVersions(), result.nextPageToken()));
	}

	@PostMapping("/set-tag")
	Mono<Map<String, Object>> setTag(MlflowRequest request) {
		String name = ModelRequests.name(request);
		long version = ModelRequests.version(request);
		KeyValue tag = ModelRequests.tags(List.of(ModelRequests.tag(request))).get(0);
		return versions.setTag(name, version, tag).thenReturn(Map.of());
	}

	@DeleteMapping("/delete-tag")
	Mono<Map<String, Object>> deleteTag(MlflowRequest request) {
		return versions
			.deleteTag(ModelRequests.name(request), ModelRequests.version(request), request.requiredString("key"))
			.thenReturn(Map.of());
	}

	@GetMapping("/get-download-uri")
	Mono<Map<String, String>> downloadUri(MlflowRequest request) {
		return versions.get(ModelRequests.name(request), ModelRequests.version(request))
			.map(version -> Map.of("artifact_uri", version.downloadUri()));
	}

	@PostMapping("/transition-stage")
	Mono<Map<String, ModelVersion>> transition(MlflowRequest request) {
		String name = ModelRequests.name(request);
		long version = ModelRequests.version(request);
		Stage stage = Stage.parse(request.requiredString("stage"));
		boolean archive = request.requiredBool("archive_existing_versions");
		return versions.transition(name, version, stage, archive).map(v -> Map.of("model_version", v));
	}

}
