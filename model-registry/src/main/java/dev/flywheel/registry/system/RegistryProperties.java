package dev.flywheel.registry.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the registry ({@code flywheel.*}).
 *
 * @param home the Flywheel home directory (FLYWHEEL_HOME); the embedded database and the artifact store live under it
 * @param security who may write
 * @param registry limits and stores of the registry itself
 */
@ConfigurationProperties("flywheel")
public record RegistryProperties(@DefaultValue("./.flywheel") Path home, @DefaultValue Security security,
		@DefaultValue Registry registry) {

	/**
	 * @param token when set, every write needs {@code Authorization: Bearer <token>}; a registry bound to a
	 * non-loopback address refuses to start without one
	 */
	public record Security(@DefaultValue("") String token) {

		public boolean enabled() {
			return !token.isBlank();
		}

	}

	/**
	 * @param artifactRoot where the local artifact store keeps files; empty means {@code <home>/registry/artifacts}
	 * @param maxRequestSize the largest JSON request body
	 * @param maxArtifactSize the largest artifact upload
	 * @param eventPollInterval how often an event stream looks for events written by other replicas
	 * @param retryDedupWindow how long an identical {@code model-versions/create} is taken for a retry of the first
	 * @param databaseThreads threads that run database work, so that an embedded database never blocks the event loop
	 * @param databaseTimeout the longest a unit of database work may take before the request fails with 503
	 */
	public record Registry(@DefaultValue("") String artifactRoot, @DefaultValue("16MB") DataSize maxRequestSize,
			@DefaultValue("2GB") DataSize maxArtifactSize, @DefaultValue("1s") Duration eventPollInterval,
			@DefaultValue("30s") Duration retryDedupWindow, @DefaultValue("8") int databaseThreads,
			@DefaultValue("30s") Duration databaseTimeout) {
	}

	public Path artifactRoot() {
		return registry.artifactRoot().isBlank() ? home.resolve("registry").resolve("artifacts")
				: Path.of(registry.artifactRoot());
	}

}
