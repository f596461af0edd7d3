package dev.flywheel.router.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.Allocation;
import dev.flywheel.router.decision.LatencyGuardrail;
import dev.flywheel.support.RepeatingTask;
import dev.flywheel.router.system.RouterProperties;
import dev.flywheel.support.Database;

/**
 * Counts routed traffic in memory and writes it to the database every {@code flywheel.router.flush-interval}: the
 * predictions (their id, model version, test, variant and predicted label, what their feedback is judged against) and
 * each variant's counters (assignments, requests, errors, slow requests, shadow agreement), added to the stored ones
 * so that replicas sharing a database sum up, then the units assigned (the {@link UnitLedger}). Predictions whose id
 * is a version 7 UUID go in batches ({@link PredictionBatches}, one {@code routed_batch} row per group and flush);
 * others one {@code routed_prediction} row each. Nothing waits for the database on the request path. A crash loses
 * at most one interval; a failed write is tried again with the next one; past
 * {@code flywheel.router.pending-predictions} held in memory, new predictions are not recorded (counted in
 * {@code flywheel_router_predictions_unrecorded_total}) so that a database outage cannot exhaust the heap.
 */
@Component
public class TrafficRecorder implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TrafficRecorder.class);

	/** The rows of one INSERT: as many of the largest as fit, then of the next, down to single rows. */
	private static final int[] CHUNK_SIZES = { 400, 40, 4, 1 };

	private static final Map<Integer, String> INSERT_STATEMENTS = insertStatements();

	private final Database database;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Duration flushInterval;

	private final int maxPending;

	private final ConcurrentLinkedQueue<PredictionRow> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingCount = new AtomicInteger();

	private final Map<TestVariant, VariantTraffic> traffic = new ConcurrentHashMap<>();

	private final Counter unrecorded;

	private final UnitLedger units;

	/** Guards {@link #writing} (the flush writing now) and {@link #queued} (the one that runs after it). */
	private final Object flushes = new Object();

	private Sinks.Empty<Void> writing;

	private Sinks.Empty<Void> queued;

	private final RepeatingTask flushing;

	private final RepeatingTask forgettingUnits;

	TrafficRecorder(Database database, MeterRegistry meters, Clock clock, RouterProperties properties) {
		this.database = database;
		this.meters = meters;
		this.clock = clock;
		this.flushInterval = properties.router().flushInterval();
		this.maxPending = properties.router().pendingPredictions();
		this.unrecorded = Counter.builder("flywheel_router_predictions_unrecorded")
			.description("Predictions not recorded because too many waited for the database; their feedback is unknown")
			.register(meters);
		this.units = new UnitLedger(maxPending, meters);
		this.flushing = RepeatingTask.every(flushInterval, "Writing the routed traffic", this::flush);
		this.forgettingUnits = RepeatingTask.every(Duration.ofHours(1), Duration.ofMinutes(1),
				"Forgetting the units of ended tests", () -> UnitLedger.forgetEnded(database));
	}

	/** A prediction answered through the router; {@code route} is null outside an A/B test. */
	record PredictionRow(String predictionId, String model, String modelVersion, String testId, String variant,
			boolean forDecision, String predicted, long predictedAt) {
	}

	record TestVariant(String testId, String variant) {
	}

	/** The rows of a successful answer of {@code model}, routed by {@code route} (null outside a test). */
	void served(String model, Route route, ServedPredictions served, long latencyNanos) {
		long now = clock.millis();
		List<String> ids = served.predictionIds();
		for (int row = 0; row < ids.size(); row++) {
			if (pendingCount.incrementAndGet() > maxPending) {
				pendingCount.decrementAndGet();
				unrecorded.increment(ids.size() - row);
				break;
			}
			pending.add(new PredictionRow(ids.get(row), model, served.modelVersion(),
					route == null ? null : route.test().id(), route == null ? null : route.variant(),
					route != null && route.forDecision(), served.labels() == null ? null : served.labels().get(row),
					now));
		}
		if (route != null) {
			VariantTraffic counts = traffic(route.test().id(), route.test().model(), route.variant());
			if (route.forDecision()) {
				counts.assigned();
				countUnit(route, counts);
			}
			counts.answered(latencyNanos, latencyBoundNanos(route), served.modelVersion());
		}
	}

	/**
	 * Counts the request's unit for the sample ratio check of a fixed-split test: a unit the router made up is new by
	 * construction; one the request named is counted once, by the {@link UnitLedger}. A Thompson-sampling test is
	 * not sticky: each of its requests is a draw of its own, and the check counts requests.
	 */
	private void countUnit(Route route, VariantTraffic counts) {
		if (route.test().definition().allocation().mode() != Allocation.Mode.FIXED) {
			return;
		}
		if (route.unit().generated()) {
			counts.newUnit();
		}
		else {
			units.assigned(route.test().id(), route.variant(), route.unit().value());
		}
	}

	/** A request of {@code route} that the variant's version failed (an error answer or a timeout). */
	void failed(Route route, long latencyNanos) {
		traffic(route.test().id(), route.test().model(), route.variant()).failed(latencyNanos,
				latencyBoundNanos(route));
	}

	/** A shadow's answer to a copy of a request: how many of its rows agreed with the answer given. */
	void shadowed(String testId, String model, String shadow, int rows, int agreed, long latencyNanos) {
		traffic(testId, model, shadow).shadowed(rows, agreed, latencyNanos);
	}

	/** A shadow that failed to answer a copy. */
	void shadowFailed(String testId, String model, String shadow, long latencyNanos) {
		traffic(testId, model, shadow).failed(latencyNanos, Long.MAX_VALUE);
	}

	private static long latencyBoundNanos(Route route) {
		return route.test()
			.definition()
			.policy()
			.guardrail(LatencyGuardrail.class)
			.map(g -> g.bound().toNanos())
			.orElse(Long.MAX_VALUE);
	}

	private VariantTraffic traffic(String testId, String model, String variant) {
		return traffic.computeIfAbsent(new TestVariant(testId, variant),
				key -> new VariantTraffic(meters, model, testId, variant));
	}

	/**
	 * Writes what was counted since the last flush; what fails to be written is kept for the next one. One flush
	 * writes at a time: a flush asked for while one is writing waits for it, then runs once for everyone who asked
	 * meanwhile. So feedback, which flushes first, finds a prediction the periodic flush had taken and was still
	 * writing. A flush runs to its end even if its caller stops waiting (the database timeout bounds it), so that what
	 * it took is written or given back.
	 */
	public Mono<Void> flush() {
		return Mono.defer(() -> {
			Sinks.Empty<Void> flush;
			boolean idle;
			synchronized (flushes) {
				idle = writing == null;
				if (idle) {
					writing = Sinks.empty();
					flush = writing;
				}
				else {
					queued = queued == null ? Sinks.empty() : queued;
					flush = queued;
				}
			}
			if (idle) {
				run(flush);
			}
			return flush.asMono();
		});
	}

	private void run(Sinks.Empty<Void> flush) {
		write().subscribe(null, ex -> finished(flush, ex), () -> finished(flush, null));
	}

	private void finished(Sinks.Empty<Void> flush, Throwable failure) {
		Sinks.Empty<Void> next;
		synchronized (flushes) {
			next = queued;
			queued = null;
			writing = next;
		}
		if (failure == null) {
			flush.tryEmitEmpty();
		}
		else {
			flush.tryEmitError(failure);
		}
		if (next != null) {
			run(next);
		}
	}

	private Mono<Void> write() {
		return Mono.defer(() -> {
			List<PredictionRow> rows = new ArrayList<>();
			for (PredictionRow row; (row = pending.poll()) != null;) {
				rows.add(row);
			}
			pendingCount.addAndGet(-rows.size());
			List<Map.Entry<TestVariant, VariantTraffic.Delta>> deltas = new ArrayList<>();
			traffic.entrySet()
				.stream()
				.sorted(Comparator.comparing((Map.Entry<TestVariant, VariantTraffic> e) -> e.getKey().testId())
					.thenComparing(e -> e.getKey().variant()))
				.forEach(entry -> {
					VariantTraffic.Delta delta = entry.getValue().takeDelta();
					if (!delta.isEmpty()) {
						deltas.add(Map.entry(entry.getKey(), delta));
					}
				});
			if (rows.isEmpty() && deltas.isEmpty()) {
				return units.write(database);
			}
			PredictionBatches batches = PredictionBatches.of(rows);
			return database
				.write(client -> batches.insert(client)
					.then(insert(client, batches.unbatched()))
					.then(update(client, deltas))
					.then(Mono.just(true)))
				.then()
				.onErrorResume(ex -> {
					logger.warn("Writing {} predictions and the counters of {} variants failed; kept for the next flush: {}",
							rows.size(), deltas.size(), ex.toString());
					if (ex instanceof org.springframework.dao.DataIntegrityViolationException) {
						// a row the database will never take (an id recorded twice) must not block the others forever
						logger.error("Dropped {} predictions the database refuses: {}", rows.size(), ex.toString());
						unrecorded.increment(rows.size());
					}
					else {
						rows.forEach(row -> {
							pending.add(row);
							pendingCount.incrementAndGet();
						});
					}
					deltas.forEach(entry -> traffic.get(entry.getKey()).giveBack(entry.getValue()));
					return Mono.error(ex);
				})
				.then(units.write(database));
		});
	}

	/**
	 * Inserts the rows whose ids are not version 7 UUIDs, one row each, with multi-row {@code INSERT ... VALUES}, in
	 * chunks of a few fixed sizes (so that the database sees a handful of statements it can keep prepared): one
	 * statement per row cost H2 more than the rows themselves.
	 */
	private static Mono<Void> insert(DatabaseClient client, List<PredictionRow> rows) {
		List<List<PredictionRow>> chunks = new ArrayList<>();
		int at = 0;
		for (int size : CHUNK_SIZES) {
			for (; rows.size() - at >= size; at += size) {
				chunks.add(rows.subList(at, at + size));
			}
		}
		return Flux.fromIterable(chunks).concatMap(chunk -> client.inConnection(connection -> {
			Statement statement = connection.createStatement(INSERT_STATEMENTS.get(chunk.size()));
			int parameter = 0;
			for (PredictionRow row : chunk) {
				statement.bind(parameter++, row.predictionId()).bind(parameter++, row.model());
				bind(statement, parameter++, row.modelVersion());
				bind(statement, parameter++, row.testId());
				bind(statement, parameter++, row.variant());
				statement.bind(parameter++, row.forDecision());
				bind(statement, parameter++, row.predicted());
				statement.bind(parameter++, row.predictedAt());
			}
			return Flux.from(statement.execute()).concatMap(result -> result.getRowsUpdated()).then();
		})).then();
	}

	private static Map<Integer, String> insertStatements() {
		Map<Integer, String> statements = new HashMap<>();
		for (int size : CHUNK_SIZES) {
			StringBuilder sql = new StringBuilder("INSERT INTO routed_prediction (prediction_id, model_name, "
					+ "model_version, ab_test_id, variant, for_decision, predicted, predicted_at) VALUES ");
			for (int row = 0; row < size; row++) {
				sql.append(row == 0 ? "(" : ", (");
				for (int column = 1; column <= 8; column++) {
					sql.append(column == 1 ? "$" : ", $").append(row * 8 + column);
				}
				sql.append(')');
			}
			statements.put(size, sql.toString());
		}
		return Map.copyOf(statements);
	}

	private static void bind(Statement statement, int index, String value) {
		if (value == null) {
			statement.bindNull(index, String.class);
		}
		else {
			statement.bind(index, value);
		}
	}

	private static Mono<Void> update(DatabaseClient client,
			List<Map.Entry<TestVariant, VariantTraffic.Delta>> deltas) {
		return Flux.fromIterable(deltas).concatMap(entry -> {
			VariantTraffic.Delta delta = entry.getValue();
			var spec = client.sql("UPDATE ab_test_variant SET assignments = assignments + :assignments, "
					+ "requests = requests + :requests, errors = errors + :errors, "
					+ "slow_requests = slow_requests + :slow, compared_rows = compared_rows + :compared, "
					+ "agreed_rows = agreed_rows + :agreed, units = units + :units"
					+ (delta.servedVersion() == null ? "" : ", served_version = :served_version")
					+ " WHERE ab_test_id = :id AND name = :variant")
				.bind("assignments", delta.assignments())
				.bind("requests", delta.requests())
				.bind("errors", delta.errors())
				.bind("slow", delta.slow())
				.bind("compared", delta.compared())
				.bind("agreed", delta.agreed())
				.bind("units", delta.units())
				.bind("id", entry.getKey().testId())
				.bind("variant", entry.getKey().variant());
			if (delta.servedVersion() != null) {
				spec = spec.bind("served_version", delta.servedVersion());
			}
			return spec.fetch().rowsUpdated();
		}).then();
	}

	@Override
	public void start() {
		flushing.start();
		forgettingUnits.start();
	}

	/** Stops the periodic flush and writes what is left, so a graceful shutdown loses nothing. */
	@Override
	public void stop() {
		flushing.stop();
		forgettingUnits.stop();
		try {
			flush().block(Duration.ofSeconds(20)); // the flush writing now, then this one
		}
		catch (RuntimeException ex) {
			logger.warn("The last flush before shutdown failed: {}", ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return flushing.isRunning();
	}

	/** Stops after the web server (which stops at a higher phase, so in-flight requests are counted first). */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE / 2 + 1;
	}

}
