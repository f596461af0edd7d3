package dev.flywheel.router.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.util.UriComponentsBuilder;

/** The inference service's prediction protocols the router exposes, with where each goes and how each reports errors. */
enum Protocol {

	/** The Open Inference Protocol: {@code POST /v2/models/{name}[/versions/{v}]/infer}; errors {@code {"error"}}. */
	OIP {
		@Override
		String path(String model, String version) {
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
		String path(String model, String version) {
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
		String path(String model, String version) {
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

	/** The inference service's path (and query) for a prediction of {@code model} by {@code version}, or its default. */
	abstract String path(String model, String version);

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
