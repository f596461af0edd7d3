package dev.flywheel.router.routing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.util.UriComponentsBuilder;

/** The inference service's prediction protocols the router exposes, with where each goes and how each reports errors. */
enum Protocol {

	/** The Open Inference Protocol: {@code POST /v2/models/{name}[/versions/{v}]/infer}; errors {@code {"error"}}. */
	OIP {
		@Override
		String build(String model, String version) {
			UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/v2/models/{model}");
			if (version != null) {
				uri.path("/versions/{version}");
			}
			return uri.path("/infer").encode().buildAndExpand(variables(model, version)).toUriString();
		}
	},

	/** The plain API: {@code POST /v1/models/{name}:predict[?version=v]}; errors {@code {"error"}}. */
	PLAIN {
		@Override
		String build(String model, String version) {
			UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/v1/models/{model}:predict");
			if (version != null) {
				uri.queryParam("version", "{version}");
			}
			return uri.encode().buildAndExpand(variables(model, version)).toUriString();
		}
	},

	/** MLflow scoring: {@code POST /invocations[?model=m][&version=v]}; errors MLflow's {@code {error_code, message}}. */
	SCORING {
		@Override
		String build(String model, String version) {
			UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/invocations");
			if (model != null) {
				uri.queryParam("model", "{model}");
			}
			if (version != null) {
				uri.queryParam("version", "{version}");
			}
			return uri.encode().buildAndExpand(variables(model, version)).toUriString();
		}

		@Override
		Map<String, Object> error(int status, String message) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("error_code", status == 503 ? "TEMPORARILY_UNAVAILABLE"
					: status == 400 ? "INVALID_PARAMETER_VALUE" : status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
			error.put("message", message);
			return error;
		}
	};

	/** At most this many paths are kept per protocol (model and version come from requests: the cache is bounded). */
	private static final int CACHED_PATHS = 10_000;

	private final Map<List<String>, String> paths = new ConcurrentHashMap<>();

	/**
	 * The inference service's path (and query) for a prediction of {@code model} by {@code version}, or its default;
	 * kept once built, as building one (with its encoding) is a visible cost on the router's hot path.
	 */
	String path(String model, String version) {
		List<String> key = Arrays.asList(model, version);
		String path = paths.get(key);
		if (path == null) {
			if (paths.size() >= CACHED_PATHS) {
				paths.clear();
			}
			path = build(model, version);
			paths.put(key, path);
		}
		return path;
	}

	abstract String build(String model, String version);

	/** The protocol's error body. */
	Map<String, Object> error(int status, String message) {
		return Map.of("error", message);
	}

	private static Map<String, String> variables(String model, String version) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("model", model);
		if (version != null) {
			variables.put("version", version);
		}
		return variables;
	}

}
