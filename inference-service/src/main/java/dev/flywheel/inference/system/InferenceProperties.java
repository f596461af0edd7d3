package dev.flywheel.inference.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the inference service ({@code flywheel.*}).
 *
 * @param home the Flywheel home directory (FLYWHEEL_HOME); the bundle cache and the serving state live under it
 * @param registry where bundles and alias moves come from
 * @param monitoring where the prediction log goes
 * @param security the token sent to the registry, if it requires one
 * @param inference what to serve and how
 */
@ConfigurationProperties("flywheel")
public record InferenceProperties(@DefaultValue("./.flywheel") Path home, @DefaultValue Registry registry,
		@DefaultValue Monitoring monitoring, @DefaultValue Security security, @DefaultValue Inference inference) {

	/**
	 * @param url the registry's base URL
	 * @param timeout the longest any one registry call may take (a bundle download included)
	 * @param pollInterval how often every served model is checked against the registry, whether or not the event
	 * stream is connected (the fallback when it is not)
	 * @param reconnectDelay the first wait before reconnecting a broken event stream (doubling from there)
	 * @param maxReconnectDelay the longest wait between two reconnection attempts (and never more than the poll
	 * interval): how soon, at worst, the stream is back after the registry is
	 */
	public record Registry(@DefaultValue("http://127.0.0.1:5000") URI url, @DefaultValue("60s") Duration timeout,
			@DefaultValue("15s") Duration pollInterval, @DefaultValue("500ms") Duration reconnectDelay,
			@DefaultValue("5s") Duration maxReconnectDelay) {

		/** The longest wait between two reconnection attempts of the event stream. */
		public Duration reconnectCeiling() {
			return maxReconnectDelay.compareTo(pollInterval) < 0 ? maxReconnectDelay : pollInterval;
		}

	}

	/** @param url monitoring's base URL; the prediction log is posted to {@code /api/v1/predictions} under it */
	public record Monitoring(@DefaultValue("http://127.0.0.1:8082") URI url) {
	}

	public record Security(@DefaultValue("") String token) {
	}

	/**
	 * @param models the registered model names to serve
	 * @param aliases the aliases whose versions are served, for every model
	 * @param pinned version numbers served besides the aliased ones, by model name
	 * @param batching how requests are gathered into one model call
	 * @param limits what one request may hold
	 * @param predictionLog how predictions are shipped to monitoring
	 * @param benchEndpoints whether the benchmark's comparison endpoints ({@code /bench/**}) are served
	 */
	public record Inference(@DefaultValue List<String> models, @DefaultValue({ "champion", "challenger" }) List<String> aliases,
			@DefaultValue Map<String, List<String>> pinned, @DefaultValue Batching batching, @DefaultValue Limits limits,
			@DefaultValue PredictionLog predictionLog, @DefaultValue("false") boolean benchEndpoints) {

		public List<String> pinnedVersions(String model) {
			return pinned.getOrDefault(model, List.of());
		}

	}

	/**
	 * @param maxBatchRows the most rows one model call computes; a request with more rows runs alone
	 * @param maxQueueDelay how long the first request of a batch may wait for others while requests arrive
	 * concurrently (a lone request is never held back)
	 * @param queueCapacity requests that may wait per served version; beyond it requests get 503 with Retry-After
	 */
	public record Batching(@DefaultValue("128") int maxBatchRows, @DefaultValue("200us") Duration maxQueueDelay,
			@DefaultValue("512") int queueCapacity) {
	}

	/**
	 * @param maxRows the most rows one request may hold
	 * @param maxRequestSize the largest request body (413 beyond it)
	 */
	public record Limits(@DefaultValue("4096") int maxRows, @DefaultValue("8MB") DataSize maxRequestSize) {
	}

	/**
	 * @param enabled whether predictions are shipped to monitoring at all
	 * @param bufferCapacity rows held for shipping; beyond it predictions are dropped and counted
	 * @param batchSize the most rows one post carries (a single larger request goes alone)
	 * @param flushInterval the longest a prediction waits before it is shipped
	 * @param timeout the longest one post to monitoring may take
	 */
	public record PredictionLog(@DefaultValue("true") boolean enabled, @DefaultValue("20000") int bufferCapacity,
			@DefaultValue("500") int batchSize, @DefaultValue("1s") Duration flushInterval,
			@DefaultValue("5s") Duration timeout) {
	}

	public Path cacheDirectory() {
		return home.resolve("inference").resolve("bundles");
	}

	public Path stateFile() {
		return home.resolve("inference").resolve("serving.json");
	}

}
