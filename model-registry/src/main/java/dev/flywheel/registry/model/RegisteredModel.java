package dev.flywheel.registry.model;

import java.util.List;

import dev.flywheel.registry.mlflow.KeyValue;

/** MLflow's RegisteredModel message. */
public record RegisteredModel(String name, long creationTimestamp, long lastUpdatedTimestamp, String userId,
		String description, List<ModelVersion> latestVersions, List<KeyValue> tags, List<Alias> aliases) {

	public RegisteredModel {
		latestVersions = List.copyOf(latestVersions);
		tags = List.copyOf(tags);
		aliases = List.copyOf(aliases);
	}

	/** An alias and the version it points at, as MLflow's RegisteredModelAlias. */
	public record Alias(String alias, String version) {
	}

}
