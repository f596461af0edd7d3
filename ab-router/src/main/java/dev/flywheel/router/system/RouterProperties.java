package dev.flywheel.router.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the router ({@code flywheel.*}).
 *
 * @param home the Flywheel home directory (FLYWHEEL_HOME); the embedded database lives under {@code <home>/router}
 * @param registry where the model registry answers, and how long one call to it may take
 * @param security the token sent with calls to the registry
 * @param router limits of the router itself
 */
@ConfigurationProperties("flywheel")
public record RouterProperties(@DefaultValue("./.flywheel") Path home, @DefaultValue Registry registry,
		@DefaultValue Security security, @DefaultValue Router router) {

	/**
	 * @param url the registry's base URL
	 * @param timeout the longest one call to the registry may take
	 * @param threads threads that make the registry client's (blocking) calls, off the event loop
	 */
	public record Registry(@DefaultValue("http://127.0.0.1:5000") URI url, @DefaultValue("5s") Duration timeout,
			@DefaultValue("4") int threads) {
	}

	/** @param token sent as {@code Authorization: Bearer <token>} to the registry when set */
	public record Security(@DefaultValue("") String token) {
	}

	/**
	 * @param databaseThreads threads that run database work, so that the embedded database never blocks the event
	 * loop
	 * @param databaseTimeout the longest a unit of database work may take before the request fails with 503
	 */
	public record Router(@DefaultValue("4") int databaseThreads, @DefaultValue("10s") Duration databaseTimeout) {
	}

}
