package dev.flywheel.monitoring.system;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the registry is ({@code flywheel.registry.*}): monitoring reads each version's reference profile from its
 * bundle there.
 *
 * @param url the registry's base URL
 * @param timeout the longest one call to it may take
 * @param token the bearer token of management calls, or empty
 */
@ConfigurationProperties("flywheel.registry")
public record RegistryProperties(@DefaultValue("http://127.0.0.1:5000") URI url, @DefaultValue("10s") Duration timeout,
		@DefaultValue("") String token) {
}
