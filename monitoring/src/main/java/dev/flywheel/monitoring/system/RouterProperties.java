package dev.flywheel.monitoring.system;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the A/B router is ({@code flywheel.router.*}): a retrained version that passed its gate enters an A/B test
 * against the champion there.
 *
 * @param url the router's base URL
 * @param timeout the longest one call to it may take
 * @param token the bearer token of management calls, or empty
 */
@ConfigurationProperties("flywheel.router")
public record RouterProperties(@DefaultValue("http://127.0.0.1:8080") URI url, @DefaultValue("10s") Duration timeout,
		@DefaultValue("") String token) {
}
