package dev.flywheel.registry.experiment;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
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
import dev.flywheel.registry.search.ViewType;

/** MLflow's experiment endpoints. */
@RestController
@RequestMapping({ "/api/2.0/mlflow/experiments", "/ajax-api/2.0/mlflow/experiments" })
class ExperimentApi {

	private final ExperimentStore experiments;

	ExperimentApi(ExperimentStore experiments) {
		this.experiments = experiments;
	}

	@PostMapping("/create")
	Mono<Map<String, String>> create(MlflowRequest request) {
		String name = request.requiredString("name");
		Validation.experimentName(name);
		String location = request.string("artifact_location").filter(s -> !s.isBlank()).orElse(null);
		if (location != null) {
			Validation.length("artifact_location", location, 1000);
		}
		List<KeyValue> tags = validTags(request.keyValues("tags"));
		return experiments.create(name, location, tags).map(id -> Map.of("experiment_id", id));
	}

	@GetMapping("/get")
	Mono<Map<String, Experiment>> get(MlflowRequest request) {
		return experiments.get(request.requiredString("experiment_id")).map(e -> Map.of("experiment", e));
	}

	@GetMapping("/get-by-name")
	Mono<Map<String, Experiment>> getByName(MlflowRequest request) {
		return experiments.getByName(request.requiredString("experiment_name")).map(e -> Map.of("experiment", e));
	}

	@RequestMapping(path = "/search", method = { RequestMethod.GET, RequestMethod.POST })
	Mono<Map<String, Object>> search(MlflowRequest request) {
		Page page = Page.of(request.int32("max_results").orElse(null),
				request.string("page_token").orElse(null), 1000, 50_000);
		return experiments
			.search(ViewType.parse(request.string("view_type").orElse(null)),
					FilterParser.parse(request.string("filter").orElse(null)),
					OrderBy.parseAll(request.strings("order_by")), page)
			.map(result -> result.nextPageToken() == null ? Map.of("experiments", result.experiments())
					: Map.of("experiments", result.experiments(), "next_page_token", result.nextPageToken()));
	}

	@PostMapping("/delete")
	Mono<Map<String, Object>> delete(MlflowRequest request) {
		return experiments.setLifecycle(request.requiredString("experiment_id"), "active", "deleted")
			.thenReturn(Map.of());
	}

	@PostMapping("/restore")
	Mono<Map<String, Object>> restore(MlflowRequest request) {
		return experiments.setLifecycle(request.requiredString("experiment_id"), "deleted", "active")
			.thenReturn(Map.of());
	}

	@PostMapping("/update")
	Mono<Map<String, Object>> update(MlflowRequest request) {
		String id = request.requiredString("experiment_id");
		String newName = request.requiredString("new_name");
		Validation.experimentName(newName);
		return experiments.rename(id, newName).thenReturn(Map.of());
	}

	@PostMapping("/set-experiment-tag")
	Mono<Map<String, Object>> setTag(MlflowRequest request) {
		String id = request.requiredString("experiment_id");
		KeyValue tag = new KeyValue(request.requiredString("key"), request.string("value").orElse(""));
		validTags(List.of(tag));
		return experiments.setTag(id, tag).thenReturn(Map.of());
	}

	private static List<KeyValue> validTags(List<KeyValue> tags) {
		for (KeyValue tag : tags) {
			Validation.key("tag", tag.key());
			Validation.length("Tag value", tag.value(), Validation.MAX_EXPERIMENT_TAG_VALUE_LENGTH);
		}
		return tags;
	}

}
