package dev.flywheel.inference.oip;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.inference.api.RequestBodies;
import dev.flywheel.inference.api.RequestJson;
import dev.flywheel.inference.serving.LoadedVersion;
import dev.flywheel.inference.serving.Rows;
import dev.flywheel.inference.serving.ServedModels;

/**
 * The benchmark's baselines, served in the same process so that they share its HTTP stack, JVM and machine (only with
 * {@code flywheel.inference.bench-endpoints=true}): a bare endpoint that reads the body and answers a constant, and
 * the naive design that computes each request with its own synchronized {@code output()} call.
 */
@RestController
@Hidden
@ConditionalOnProperty(name = "flywheel.inference.bench-endpoints", havingValue = "true")
class BenchApi {

	private static final Map<String, Object> CONSTANT = Map.of("model_name", "constant", "model_version", "1", "id",
			"constant", "outputs", List.of(Map.of("name", "label", "shape", List.of(1), "datatype", "BYTES", "data",
					List.of("constant"))));

	private final ServedModels models;

	BenchApi(ServedModels models) {
		this.models = models;
	}

	@PostMapping("/bench/constant")
	Mono<Map<String, Object>> constant(ServerHttpRequest http) {
		return RequestBodies.read(http, Long.MAX_VALUE).map(body -> CONSTANT);
	}

	@PostMapping("/bench/naive/v2/models/{name}/infer")
	Mono<Map<String, Object>> naive(@PathVariable String name, ServerHttpRequest http) {
		return RequestBodies.read(http, Long.MAX_VALUE).publishOn(Schedulers.boundedElastic()).map(body -> {
			LoadedVersion version = models.get(name).acquire(null);
			try {
				Rows rows = OipRequest.read(RequestJson.parse(body)).rows(version.schema());
				float[] outputs = version.computeUnbatched(rows);
				return Map.<String, Object>of("model_name", name, "model_version", version.version(), "outputs",
						List.of(Map.of("name", "probabilities", "datatype", "FP32", "shape",
								List.of(rows.count(), outputs.length / rows.count()), "data", outputs)));
			}
			finally {
				version.release();
			}
		});
	}

}
