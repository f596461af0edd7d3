package dev.flywheel.registry.event;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.registry.mlflow.MlflowException;

/**
 * {@code GET /api/2.0/flywheel/events}: the registry's events as Server-Sent Events. A client resumes with the
 * {@code Last-Event-ID} header (or {@code ?after=} for tools that cannot set it) and receives every event it missed,
 * then new ones as they are committed. A comment every 15 seconds keeps proxies from closing an idle stream.
 */
@RestController
class EventApi {

	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final EventLog events;

	EventApi(EventLog events) {
		this.events = events;
	}

	@GetMapping(path = "/api/2.0/flywheel/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<RegistryEvent>> stream(@RequestHeader(name = "Last-Event-ID", required = false) String lastId,
			@RequestParam(name = "after", required = false) String after) {
		long from = parse(lastId != null ? lastId : after);
		Flux<ServerSentEvent<RegistryEvent>> stream = events.follow(from)
			.map(event -> ServerSentEvent.builder(event).id(String.valueOf(event.id())).event(event.type()).build());
		Flux<ServerSentEvent<RegistryEvent>> heartbeats = Flux.interval(HEARTBEAT)
			.map(tick -> ServerSentEvent.<RegistryEvent>builder().comment("keep-alive").build());
		return Flux.merge(stream, heartbeats);
	}

	private static long parse(String id) {
		if (id == null || id.isBlank()) {
			return 0;
		}
		try {
			long value = Long.parseLong(id.trim());
			if (value >= 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw MlflowException.invalid("Invalid Last-Event-ID '" + id + "': expected the id of an event");
	}

}
