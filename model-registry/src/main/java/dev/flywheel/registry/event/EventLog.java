package dev.flywheel.registry.event;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.support.Database;
import dev.flywheel.registry.system.RegistryProperties;
import dev.flywheel.registry.system.Sql;

/**
 * The registry's event outbox. A change appends its event in its own transaction, so an event exists exactly when
 * its change was committed. Ids come from one counter row that the appending transaction holds until it commits,
 * so ids are handed out in commit order and a reader that has seen id N has seen everything before it.
 * <p>
 * Followers read the log from an id on: woken at once by commits in this process, and every
 * {@code flywheel.registry.event-poll-interval} for commits of other replicas sharing the database.
 */
@Component
public class EventLog {

	private static final int READ_BATCH = 500;

	private final Database database;

	private final Clock clock;

	private final Duration pollInterval;

	private final Sinks.Many<Boolean> commits = Sinks.many().multicast().directBestEffort();

	EventLog(Database database, Clock clock, RegistryProperties properties) {
		this.database = database;
		this.clock = clock;
		this.pollInterval = properties.registry().eventPollInterval();
	}

	/** Appends an event inside the caller's transaction; call it last, as it serialises event writers. */
	public Mono<Void> append(DatabaseClient client, String type, String name, Long version, String alias,
			String digest) {
		return client.sql("UPDATE registry_event_counter SET last_id = last_id + 1 WHERE counter_id = 1")
			.then()
			.then(client.sql("SELECT last_id FROM registry_event_counter WHERE counter_id = 1")
				.map(row -> row.get("last_id", Long.class))
				.one())
			.flatMap(id -> {
				var insert = client
					.sql("INSERT INTO registry_events (event_id, event_type, name, version, alias, digest, event_time)"
							+ " VALUES (:id, :type, :name, :version, :alias, :digest, :time)")
					.bind("id", id)
					.bind("type", type)
					.bind("name", name)
					.bind("time", clock.millis());
				insert = Sql.bind(insert, "version", version, Long.class);
				insert = Sql.bind(insert, "alias", alias, String.class);
				insert = Sql.bind(insert, "digest", digest, String.class);
				return insert.then();
			});
	}

	/** Tells this process's followers that events were committed. */
	public void committed() {
		commits.tryEmitNext(Boolean.TRUE);
	}

	/** Every event after {@code afterId}, then each new one as it is committed; never completes. */
	public Flux<RegistryEvent> follow(long afterId) {
		return Flux.defer(() -> {
			AtomicLong cursor = new AtomicLong(afterId);
			Flux<Boolean> wakeups = Flux.merge(Flux.just(Boolean.TRUE), commits.asFlux(),
					Flux.interval(pollInterval).map(tick -> Boolean.TRUE));
			return wakeups.onBackpressureLatest()
				.concatMap(wakeup -> readAll(cursor), 1)
				.concatMapIterable(events -> events);
		});
	}

	/** Reads from the cursor until nothing is left, moving the cursor past what it read. */
	private Mono<List<RegistryEvent>> readAll(AtomicLong cursor) {
		return read(cursor.get(), READ_BATCH).expand(batch -> batch.size() < READ_BATCH ? Mono.empty()
				: read(batch.get(batch.size() - 1).id(), READ_BATCH))
			.concatMapIterable(batch -> batch)
			.collectList()
			.doOnNext(events -> {
				if (!events.isEmpty()) {
					cursor.set(events.get(events.size() - 1).id());
				}
			});
	}

	public Mono<List<RegistryEvent>> read(long afterId, int limit) {
		return database.read(client -> client
			.sql("SELECT event_id, event_type, name, version, alias, digest, event_time FROM registry_events "
					+ "WHERE event_id > :after ORDER BY event_id LIMIT " + limit)
			.bind("after", afterId)
			.map(EventLog::event)
			.all()
			.collectList());
	}

	private static RegistryEvent event(Readable row) {
		Long version = row.get("version", Long.class);
		return new RegistryEvent(row.get("event_id", Long.class), row.get("event_type", String.class),
				row.get("name", String.class), version == null ? null : String.valueOf(version),
				row.get("alias", String.class), row.get("digest", String.class), row.get("event_time", Long.class));
	}

}
