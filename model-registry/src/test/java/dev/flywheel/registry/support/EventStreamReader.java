package dev.flywheel.registry.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/** Reads the registry's Server-Sent Events as a follower does. */
public final class EventStreamReader {

	private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
	};

	private EventStreamReader() {
	}

	/** Every event after {@code lastEventId} that arrives within {@code window}. */
	public static List<ServerSentEvent<Map<String, Object>>> readFor(String baseUrl, long lastEventId,
			Duration window) {
		return stream(baseUrl, lastEventId).take(window).collectList().block(window.plusSeconds(10));
	}

	/** The first {@code count} events after {@code lastEventId} (0 for all), waiting at most {@code timeout}. */
	public static List<ServerSentEvent<Map<String, Object>>> read(String baseUrl, long lastEventId, int count,
			Duration timeout) {
		return stream(baseUrl, lastEventId).take(count).collectList().block(timeout);
	}

	private static Flux<ServerSentEvent<Map<String, Object>>> stream(String baseUrl, long lastEventId) {
		return WebClient.create(baseUrl)
			.get()
			.uri("/api/2.0/flywheel/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", String.valueOf(lastEventId))
			.retrieve()
			.bodyToFlux(EVENT)
			.filter(event -> event.id() != null);
	}

}
