package dev.flywheel.router.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the router ({@code flywheel.*}).
 *
 * @param home the Flywheel home directory (FLYWHEEL_HOME); the embedded database lives under {@code <home>/router}
 * @param registry where the model registry answers, and how long one call to it may take
 * @param inference where the inference service answers, the models it serves, and how long a prediction may take
 * @param monitoring where feedback is forwarded
 * @param security the token of management calls: required of A/B test changes, sent with calls to the registry
 * @param router limits and rhythms of the router itself
 */
@ConfigurationProperties("flywheel")
public record RouterProperties(@DefaultValue("./.flywheel") Path home, @DefaultValue Registry registry,
		@DefaultValue Inference inference, @DefaultValue Monitoring monitoring, @DefaultValue Security security,
		@DefaultValue Router router) {

	/**
	 * @param url the inference service's base URL
	 * @param timeout the longest one forwarded prediction may take before the router answers 503
	 * @param models the registered model names the inference service serves: a scoring request
	 * ({@code /invocations}) without {@code ?model=} is for the only one of them
	 * @param connections the most connections the router keeps open to the inference service
	 */
	public record Inference(@DefaultValue("http://127.0.0.1:8081") URI url, @DefaultValue("30s") Duration timeout,
			@DefaultValue List<String> models, @DefaultValue("256") int connections) {
	}

	/**
	 * @param url the monitoring service's base URL, where accepted feedback is forwarded
	 * @param timeout the longest one forwarding call may take
	 * @param buffer the most feedback events held for forwarding while monitoring is slow or down; beyond it the
	 * oldest are dropped (and counted)
	 * @param enabled whether feedback is forwarded at all
	 */
	public record Monitoring(@DefaultValue("http://127.0.0.1:8082") URI url, @DefaultValue("5s") Duration timeout,
			@DefaultValue("100000") int buffer, @DefaultValue("true") boolean enabled) {
	}

	/**
	 * @param url the registry's base URL
	 * @param timeout the longest one call to the registry may take
	 * @param threads threads that make the registry client's (blocking) calls, off the event loop
	 */
	public record Registry(@DefaultValue("http://127.0.0.1:5000") URI url, @DefaultValue("5s") Duration timeout,
			@DefaultValue("4") int threads) {
	}

	/**
	 * @param token when set, creating or changing an A/B test needs {@code Authorization: Bearer <token>} (a router
	 * bound to a non-loopback address refuses to start without one), and the router sends it to the registry
	 */
	public record Security(@DefaultValue("") String token) {
	}

	/**
	 * @param databaseThreads threads that run database work, so that the embedded database never blocks the event
	 * loop
	 * @param databaseTimeout the longest a unit of database work may take before the request fails with 503
	 * @param feedbackWindow how long after its prediction feedback is accepted; predictions are kept twice as long,
	 * so that later feedback is reported expired rather than unknown
	 * @param flushInterval how often the traffic counted in memory (assignments, requests, predictions) is written to
	 * the database: what a crash can lose, and how soon another replica sees a prediction
	 * @param refreshInterval how often the running tests are read again (to see other replicas' changes)
	 * @param decisionInterval how often every running test is looked at and decided when it can be
	 * @param actionRetryInterval how soon a decision's action (a registry call) is tried again after it failed
	 * @param pendingPredictions the most predictions held in memory between two flushes; beyond it they are not
	 * recorded (and counted), so their feedback is reported unknown
	 * @param maxRequestSize the largest prediction request body the router forwards (413 beyond it), the inference
	 * service's own limit by default
	 */
	public record Router(@DefaultValue("4") int databaseThreads, @DefaultValue("10s") Duration databaseTimeout,
			@DefaultValue("24h") Duration feedbackWindow, @DefaultValue("200ms") Duration flushInterval,
			@DefaultValue("2s") Duration refreshInterval, @DefaultValue("10s") Duration decisionInterval,
			@DefaultValue("5s") Duration actionRetryInterval, @DefaultValue("200000") int pendingPredictions,
			@DefaultValue("8MB") DataSize maxRequestSize) {
	}

}
