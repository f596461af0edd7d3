package dev.flywheel.registry.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import dev.flywheel.registry.run.Run.Metric;
import dev.flywheel.registry.search.FilterParser;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;
import dev.flywheel.registry.search.ViewType;

/** MLflow's run, metric and param endpoints. */
@RestController
@RequestMapping({ "/api/2.0/mlflow", "/ajax-api/2.0/mlflow" })
class RunApi {

	private final RunStore runs;

	private final RunDataWriter writer;

	private final RunSearch search;

	RunApi(RunStore runs, RunDataWriter writer, RunSearch search) {
		this.runs = runs;
		this.writer = writer;
		this.search = search;
	}

	@PostMapping("/runs/create")
	Mono<Map<String, Run>> create(MlflowRequest request) {
		String experimentId = request.string("experiment_id").filter(s -> !s.isEmpty()).orElse("0");
		String runName = request.string("run_name").filter(s -> !s.isEmpty()).orElse(null);
		if (runName != null) {
			Validation.length("Run name", runName, Validation.MAX_RUN_NAME_LENGTH);
		}
		List<KeyValue> tags = validTags(request.keyValues("tags"));
		return runs
			.create(experimentId, request.string("user_id").orElse(null), request.int64("start_time").orElse(null),
					runName, tags)
			.map(run -> Map.of("run", run));
	}

	@GetMapping("/runs/get")
	Mono<Map<String, Run>> get(MlflowRequest request) {
		return runs.get(request.requiredString("run_id", "run_uuid")).map(run -> Map.of("run", run));
	}

	@PostMapping("/runs/update")
	Mono<Map<String, Run.RunInfo>> update(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		RunStatus status = request.string("status").map(RunStatus::parse).orElse(null);
		String runName = request.string("run_name").filter(s -> !s.isEmpty()).orElse(null);
		if (runName != null) {
			Validation.length("Run name", runName, Validation.MAX_RUN_NAME_LENGTH);
		}
		return runs.update(runId, status, request.int64("end_time").orElse(null), runName)
			.map(info -> Map.of("run_info", info));
	}

	@PostMapping("/runs/delete")
	Mono<Map<String, Object>> delete(MlflowRequest request) {
		return runs.setLifecycle(request.requiredString("run_id"), "active", "deleted").thenReturn(Map.of());
	}

	@PostMapping("/runs/restore")
	Mono<Map<String, Object>> restore(MlflowRequest request) {
		return runs.setLifecycle(request.requiredString("run_id"), "deleted", "active").thenReturn(Map.of());
	}

	@PostMapping("/runs/log-metric")
	Mono<Map<String, Object>> logMetric(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		Metric metric = metric(request);
		return writer.log(runId, List.of(metric), List.of(), List.of()).thenReturn(Map.of());
	}

	@PostMapping("/runs/log-parameter")
	Mono<Map<String, Object>> logParam(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		KeyValue param = new KeyValue(request.requiredString("key"), request.string("value").orElse(""));
		validParams(List.of(param));
		return writer.log(runId, List.of(), List.of(param), List.of()).thenReturn(Map.of());
	}

	@PostMapping("/runs/set-tag")
	Mono<Map<String, Object>> setTag(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		KeyValue tag = new KeyValue(request.requiredString("key"), request.string("value").orElse(""));
		validTags(List.of(tag));
		return writer.log(runId, List.of(), List.of(), List.of(tag)).thenReturn(Map.of());
	}

	@PostMapping("/runs/delete-tag")
	Mono<Map<String, Object>> deleteTag(MlflowRequest request) {
		return writer.deleteTag(request.requiredString("run_id"), request.requiredString("key")).thenReturn(Map.of());
	}

	@PostMapping("/runs/log-batch")
	Mono<Map<String, Object>> logBatch(MlflowRequest request) {
		String runId = request.requiredString("run_id");
		List<MlflowRequest> metricItems = request.objects("metrics");
		List<KeyValue> params = request.keyValues("params");
		List<KeyValue> tags = request.keyValues("tags");
		Validation.batch(metricItems.size(), params.size(), tags.size());
		List<Metric> metrics = new ArrayList<>();
		for (MlflowRequest item : metricItems) {
			metrics.add(metric(item));
		}
		validParams(params);
		validTags(tags);
		return writer.log(runId, metrics, params, tags).thenReturn(Map.of());
	}

	@RequestMapping(path = "/runs/search", method = { RequestMethod.GET, RequestMethod.POST })
	Mono<Map<String, Object>> search(MlflowRequest request) {
		Page page = Page.of(request.int32("max_results").orElse(null), request.string("page_token").orElse(null), 1000,
				50_000);
		return search
			.search(request.strings("experiment_ids"), FilterParser.parse(request.string("filter").orElse(null)),
					ViewType.parse(request.string("run_view_type").orElse(null)),
					OrderBy.parseAll(request.strings("order_by")), page)
			.map(result -> page(Map.of("runs", result.runs()), result.nextPageToken()));
	}

	@GetMapping("/metrics/get-history")
	Mono<Map<String, Object>> history(MlflowRequest request) {
		String runId = request.requiredString("run_id", "run_uuid");
		String key = request.requiredString("metric_key");
		Page page = Page.of(request.int32("max_results").orElse(null), request.string("page_token").orElse(null),
				25_000, 25_000);
		return search.history(runId, key, page)
			.map(history -> page(Map.of("metrics", history.metrics()), history.nextPageToken()));
	}

	private static Map<String, Object> page(Map<String, Object> body, String nextPageToken) {
		if (nextPageToken == null) {
			return body;
		}
		Map<String, Object> paged = new LinkedHashMap<>(body);
		paged.put("next_page_token", nextPageToken);
		return paged;
	}

	private static Metric metric(MlflowRequest request) {
		String key = request.requiredString("key");
		Validation.key("metric", key);
		double value = request.requiredNumber("value");
		long timestamp = request.requiredInt64("timestamp");
		long step = request.int64("step").orElse(0L);
		return new Metric(key, value, timestamp, step);
	}

	private static void validParams(List<KeyValue> params) {
		for (KeyValue param : params) {
			Validation.key("parameter", param.key());
			Validation.length("Param value", param.value(), Validation.MAX_PARAM_VALUE_LENGTH);
		}
	}

	private static List<KeyValue> validTags(List<KeyValue> tags) {
		for (KeyValue tag : tags) {
			Validation.key("tag", tag.key());
			Validation.length("Tag value", tag.value(), Validation.MAX_RUN_TAG_VALUE_LENGTH);
		}
		return tags;
	}

}
