package dev.flywheel.registry.event;

/**
 * Something that happened in the registry that a follower (the inference service) acts on.
 *
 * @param id monotonically increasing, in commit order; SSE clients resume after it with {@code Last-Event-ID}
 * @param type {@code registered_model.created}, {@code model_version.created}, {@code model_version.alias_set},
 * {@code model_version.alias_deleted}, {@code model_version.deleted} or {@code registered_model.deleted}
 * @param version the model version, as MLflow writes it (a string), when the event concerns one
 * @param alias the alias that moved or was removed
 * @param digest the version's {@code flywheel.digest} tag when it has one
 * @param timestamp milliseconds since the epoch
 */
public record RegistryEvent(long id, String type, String name, String version, String alias, String digest,
		long timestamp) {

	public static final String MODEL_CREATED = "registered_model.created";

	public static final String MODEL_DELETED = "registered_model.deleted";

	public static final String VERSION_CREATED = "model_version.created";

	public static final String VERSION_DELETED = "model_version.deleted";

	public static final String ALIAS_SET = "model_version.alias_set";

	public static final String ALIAS_DELETED = "model_version.alias_deleted";

}
