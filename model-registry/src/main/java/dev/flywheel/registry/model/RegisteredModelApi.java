package dev.flywheel.registry.model;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowRequest;
import dev.flywheel.registry.mlflow.Validation;
import dev.flywheel.registry.search.FilterParser;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;

/** MLflow's registered model endpoints, aliases included. */
@RestController
@RequestMapping({ "/api/2.0/mlflow/registered-models", "/ajax-api/2.0/mlflow/registered-models" })
class RegisteredModelApi {

	private final RegisteredModelStore models;

	private final ModelVersionStore versions;

	RegisteredModelApi(RegisteredModelStore models, ModelVersionStore versions) {
		this.models = models;
		this.versions = versions;
	}

	@PostMapping("/create")
	Mono<Map<String, RegisteredModel>> create(MlflowRequest request) {
		String name = ModelRequests.name(request);
		String description = ModelRequests.description(request);
		List<KeyValue> tags = ModelRequests.tags(request.keyValues("tags"));
		return models.create(name, description, request.string("user_id").orElse(null), tags)
			.map(model -> Map.of("registered_model", model));
	}

	@GetMapping("/get")
	Mono<Map<String, RegisteredModel>> get(MlflowRequest request) {
		return models.get(ModelRequests.name(request)).map(model -> Map.of("registered_model", model));
	}

	@PostMapping("/rename")
	Mono<Map<String, RegisteredModel>> rename(MlflowRequest request) {
		String name = ModelRequests.name(request);
		String newName = request.requiredString("new_name");
		Validation.modelName(newName);
		return models.rename(name, newName).map(model -> Map.of("registered_model", model));
	}

	@PatchMapping("/update")
	Mono<Map<String, RegisteredModel>> update(MlflowRequest request) {
		return models.describe(ModelRequests.name(request), ModelRequests.description(request))
			.map(model -> Map.of("registered_model", model));
	}

	@DeleteMapping("/delete")
	Mono<Map<String, Object>> delete(MlflowRequest request) {
		return models.delete(ModelRequests.name(request)).thenReturn(Map.of());
	}

	@GetMapping("/search")
	Mono<Map<String, Object>> search(MlflowRequest request) {
		Page page = Page.of(request.int32("max_results").orElse(null),
				request.string("page_token").orElse(null), 100, 1000);
		return models
			.search(FilterParser.parse(request.string("filter").orElse(null)),
					OrderBy.parseAll(request.strings("order_by")), page)
			.map(result -> ModelRequests.page("registered_models", result.registeredModels(), result.nextPageToken()));
	}

	@RequestMapping(path = "/get-latest-versions", method = { RequestMethod.GET, RequestMethod.POST })
	Mono<Map<String, List<ModelVersion>>> latestVersions(MlflowRequest request) {
		List<Stage> stages = request.strings("stages").stream().map(Stage::parse).toList();
		return versions.latest(ModelRequests.name(request), stages).map(list -> Map.of("model_versions", list));
	}

	@PostMapping("/set-tag")
	Mono<Map<String, Object>> setTag(MlflowRequest request) {
		String name = ModelRequests.name(request);
		KeyValue tag = ModelRequests.tags(List.of(ModelRequests.tag(request))).get(0);
		return models.setTag(name, tag).thenReturn(Map.of());
	}

	@DeleteMapping("/delete-tag")
	Mono<Map<String, Object>> deleteTag(MlflowRequest request) {
		return models.deleteTag(ModelRequests.name(request), request.requiredString("key")).thenReturn(Map.of());
	}

	@PostMapping("/alias")
	Mono<Map<String, Object>> setAlias(MlflowRequest request) {
		String name = ModelRequests.name(request);
		String alias = request.requiredString("alias");
		Validation.alias(alias);
		long version = ModelRequests.version(request);
		return versions.setAlias(name, alias, version).thenReturn(Map.of());
	}

	@DeleteMapping("/alias")
	Mono<Map<String, Object>> deleteAlias(MlflowRequest request) {
		return versions.deleteAlias(ModelRequests.name(request), request.requiredString("alias")).thenReturn(Map.of());
	}

	@GetMapping("/alias")
	Mono<Map<String, ModelVersion>> getAlias(MlflowRequest request) {
		return versions.byAlias(ModelRequests.name(request), request.requiredString("alias"))
			.map(version -> Map.of("model_version", version));
	}

}
