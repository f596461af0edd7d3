package dev.flywheel.registry.model;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.flywheel.registry.mlflow.KeyValue;

/**
 * MLflow's ModelVersion message. {@code storageLocation} is where the version's files are (its {@code runs:/} source
 * resolved), which {@code get-download-uri} hands out; MLflow's message does not carry it.
 */
public record ModelVersion(String name, String version, long creationTimestamp, long lastUpdatedTimestamp,
		String userId, String currentStage, String description, String source, String runId, String status,
		String statusMessage, List<KeyValue> tags, String runLink, List<String> aliases,
		@JsonIgnore String storageLocation) {

	/** The tag under which training records the bundle digest. */
	public static final String DIGEST_TAG = "flywheel.digest";

	public ModelVersion {
		tags = List.copyOf(tags);
		aliases = List.copyOf(aliases);
	}

	@JsonIgnore
	public long number() {
		return Long.parseLong(version);
	}

	/** Where the version's files are: the resolved storage location, else the source. */
	@JsonIgnore
	public String downloadUri() {
		return storageLocation != null ? storageLocation : source;
	}

	@JsonIgnore
	public Optional<String> digest() {
		return tags.stream().filter(t -> t.key().equals(DIGEST_TAG)).map(KeyValue::value).findFirst();
	}

	ModelVersion withDetails(List<KeyValue> tags, List<String> aliases) {
		return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, userId, currentStage,
				description, source, runId, status, statusMessage, tags, runLink, aliases, storageLocation);
	}

}
