package dev.flywheel.inference.serving;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.inference.system.InferenceProperties;

/**
 * Follows the registry's event stream ({@code /api/2.0/flywheel/events}) and asks for a reconciliation of every served
 * model an event names. A broken stream is reconnected with {@code Last-Event-ID}, after a delay that doubles up to
 * {@code max-reconnect-delay} (and at most the poll interval); meanwhile the {@link Reconciler}'s polling keeps the service in line. A stream silent for three
 * registry heartbeats counts as broken.
 */
@Component
public class RegistryEvents implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RegistryEvents.class);

	private static final Duration SILENCE = Duration.ofSeconds(45);

	private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> EVENT = new ParameterizedTypeReference<>() {
	};

	private final WebClient client;

	private final Reconciler reconciler;

	private final InferenceProperties.Registry settings;

	private final AtomicReference<String> lastEventId = new AtomicReference<>();

	private volatile boolean connected;

	private Disposable subscription;

	public RegistryEvents(Reconciler reconciler, InferenceProperties properties) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.registry().timeout().toMillis());
		this.client = WebClient.builder()
			.baseUrl(properties.registry().url().toString())
			.clientConnector(new ReactorClientHttpConnector(http))
			.build();
		this.reconciler = reconciler;
		this.settings = properties.registry();
	}

	@Override
	public void start() {
		subscription = Flux.defer(this::connect)
			.timeout(SILENCE)
			.doOnError(ex -> {
				if (connected) {
					logger.warn("The registry event stream broke ({}); reconnecting, polling meanwhile", ex.toString());
				}
				connected = false;
			})
			.repeatWhen(completions -> completions.delayElements(settings.reconnectDelay()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, settings.reconnectDelay())
				.maxBackoff(settings.reconnectCeiling())
				.transientErrors(true))
			.subscribe(this::onEvent);
	}

	private Flux<ServerSentEvent<JsonNode>> connect() {
		return client.get()
			.uri("/api/2.0/flywheel/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers(headers -> {
				String last = lastEventId.get();
				if (last != null) {
					headers.set("Last-Event-ID", last);
				}
			})
			.exchangeToFlux(response -> {
				if (!response.statusCode().is2xxSuccessful()) {
					return response.<ServerSentEvent<JsonNode>>createError().flux();
				}
				connected = true;
				logger.info("Following the registry's events at {}", settings.url());
				// whatever happened while disconnected and is older than the events replayed
				reconciler.reconcileAll();
				return response.bodyToFlux(EVENT);
			});
	}

	private void onEvent(ServerSentEvent<JsonNode> event) {
		if (event.id() != null) {
			lastEventId.set(event.id());
		}
		JsonNode data = event.data();
		if (data != null && data.has("name")) {
			reconciler.reconcile(data.get("name").asString());
		}
	}

	/** Whether the event stream is connected now. */
	public boolean isConnected() {
		return connected;
	}

	@Override
	public void stop() {
		if (subscription != null) {
			subscription.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return subscription != null && !subscription.isDisposed();
	}

	@Override
	public int getPhase() {
		// started after the reconciler it feeds, stopped before it
		return Reconciler.PHASE + 1;
	}

}
