package dev.flywheel.registry.mlflow;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tracking server's {@code /health} and {@code /version}, as MLflow's server answers them. */
@RestController
class ServerInfoApi {

	/** The MLflow release whose REST API this registry implements. */
	static final String MLFLOW_VERSION = "2.17.2";

	@GetMapping("/health")
	String health() {
		return "OK";
	}

	@GetMapping("/version")
	String version() {
		return MLFLOW_VERSION;
	}

}
