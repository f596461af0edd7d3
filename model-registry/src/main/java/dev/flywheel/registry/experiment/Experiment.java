package dev.flywheel.registry.experiment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.flywheel.registry.mlflow.KeyValue;

/** MLflow's Experiment message. */
public record Experiment(String experimentId, String name, String artifactLocation, String lifecycleStage,
		long lastUpdateTime, long creationTime, List<KeyValue> tags) {

	public Experiment {
		tags = List.copyOf(tags);
	}

	@JsonIgnore
	public boolean isActive() {
		return "active".equals(lifecycleStage);
	}

	Experiment withTags(List<KeyValue> tags) {
		return new Experiment(experimentId, name, artifactLocation, lifecycleStage, lastUpdateTime, creationTime,
				tags);
	}

}
