package dev.flywheel.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.flywheel.router.assignment.Murmur3;
import dev.flywheel.support.Database;

/**
 * The units each variant of a fixed-split test was assigned, each counted once across every replica and restart:
 * what the sample ratio check compares with the split. A sticky unit asking a thousand times is one draw of the split,
 * not a thousand, so counting requests would call an ordinary uneven split of a few heavy users a mismatch.
 * <p>
 * A unit key is reduced to a 64-bit hash (two Murmur3 hashes of its UTF-8 bytes; two units of a million share one
 * with a chance of about 3 in 100 million). Each router remembers the units it has already written in a fixed table
 * ({@value #REMEMBERED} slots, 8 MiB), so a returning unit costs no database work; a unit whose slot another took is
 * written again, and the database, keyed by test and hash, counts it only the first time, whichever replica saw it
 * first. What waits to be written is bounded: past {@code limit}, new units are not counted (the check then sees
 * fewer units of every variant alike) and {@code flywheel_router_units_uncounted_total} says so.
 */
final class UnitLedger {

	static final int REMEMBERED = 1 << 20;

	private static final int HASHES_PER_LOOKUP = 500;

	private static final int ROWS_PER_INSERT = 100;

	private final AtomicLongArray remembered = new AtomicLongArray(REMEMBERED);

	private final ConcurrentLinkedQueue<UnitRow> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingCount = new AtomicInteger();

	private final int limit;

	private final Counter uncounted;

	UnitLedger(int limit, MeterRegistry meters) {
		this.limit = limit;
		this.uncounted = Counter.builder("flywheel_router_units_uncounted")
			.description("Units not counted for the sample ratio check because too many waited for the database")
			.register(meters);
	}

	/** A unit of test {@code testId} assigned to {@code variant}. */
	record UnitRow(String testId, String variant, long unitHash) {
	}

	/** The 64-bit hash a unit key is counted by; stable across replicas, restarts and versions. */
	static long hash(String unitKey) {
		byte[] bytes = unitKey.getBytes(StandardCharsets.UTF_8);
		return ((long) Murmur3.hash32(bytes, 0x5eed0001) << 32) | Integer.toUnsignedLong(Murmur3.hash32(bytes, 0x5eed0002));
	}

	/** Notes that a unit given by the request was assigned; it is written with the next {@link #write}. */
	void assigned(String testId, String variant, String unitKey) {
		long unitHash = hash(unitKey);
		long slotKey = unitHash ^ (testId.hashCode() * 0x9e3779b97f4a7c15L);
		if (slotKey == 0) {
			slotKey = 1;
		}
		int slot = (int) ((slotKey ^ (slotKey >>> 29)) & (REMEMBERED - 1));
		if (remembered.getAndSet(slot, slotKey) == slotKey) {
			return;
		}
		if (pendingCount.incrementAndGet() > limit) {
			pendingCount.decrementAndGet();
			remembered.compareAndSet(slot, slotKey, 0);
			uncounted.increment();
			return;
		}
		pending.add(new UnitRow(testId, variant, unitHash));
	}

	/** Units noted and not yet written. */
	int waiting() {
		return pendingCount.get();
	}

	/**
	 * Writes the units noted since the last call: those new to their test are listed and added to their variant's
	 * {@code units}. Replicas racing with the same new unit make one transaction fail on the key; it is run again
	 * once and then sees the other's row. Units that could not be written are kept for the next call.
	 */
	Mono<Void> write(Database database) {
		return Mono.defer(() -> {
			List<UnitRow> rows = new ArrayList<>();
			for (UnitRow row; (row = pending.poll()) != null;) {
				rows.add(row);
			}
			if (rows.isEmpty()) {
				return Mono.empty();
			}
			pendingCount.addAndGet(-rows.size());
			Map<String, List<UnitRow>> byTest = new LinkedHashMap<>();
			rows.forEach(row -> byTest.computeIfAbsent(row.testId(), id -> new ArrayList<>()).add(row));
			return database
				.write(client -> Flux.fromIterable(byTest.entrySet())
					.concatMap(test -> writeNew(client, test.getKey(), test.getValue()))
					.then(Mono.just(true)))
				.retryWhen(Retry.max(1).filter(DuplicateKeyException.class::isInstance))
				.onErrorResume(ex -> {
					rows.forEach(row -> {
						pending.add(row);
						pendingCount.incrementAndGet();
					});
					return Mono.error(ex);
				})
				.then();
		});
	}

	private static Mono<Void> writeNew(DatabaseClient client, String testId, List<UnitRow> rows) {
		Map<Long, UnitRow> byHash = new LinkedHashMap<>();
		rows.forEach(row -> byHash.putIfAbsent(row.unitHash(), row));
		List<Long> hashes = new ArrayList<>(byHash.keySet());
		return Flux.range(0, (hashes.size() + HASHES_PER_LOOKUP - 1) / HASHES_PER_LOOKUP)
			.concatMap(chunk -> client
				.sql("SELECT unit_hash FROM ab_test_unit WHERE ab_test_id = :id AND unit_hash IN (:hashes)")
				.bind("id", testId)
				.bind("hashes", hashes.subList(chunk * HASHES_PER_LOOKUP,
						Math.min(hashes.size(), (chunk + 1) * HASHES_PER_LOOKUP)))
				.map(row -> row.get(0, Long.class))
				.all())
			.collect(HashSet<Long>::new, Set::add)
			.flatMap(known -> {
				List<UnitRow> fresh = byHash.values().stream().filter(row -> !known.contains(row.unitHash())).toList();
				Map<String, Long> perVariant = new LinkedHashMap<>();
				fresh.forEach(row -> perVariant.merge(row.variant(), 1L, Long::sum));
				return Flux.range(0, (fresh.size() + ROWS_PER_INSERT - 1) / ROWS_PER_INSERT)
					.concatMap(chunk -> insert(client, fresh.subList(chunk * ROWS_PER_INSERT,
							Math.min(fresh.size(), (chunk + 1) * ROWS_PER_INSERT))))
					.thenMany(Flux.fromIterable(perVariant.entrySet()))
					.concatMap(variant -> client
						.sql("UPDATE ab_test_variant SET units = units + :units WHERE ab_test_id = :id AND name = :variant")
						.bind("units", variant.getValue())
						.bind("id", testId)
						.bind("variant", variant.getKey())
						.fetch()
						.rowsUpdated())
					.then();
			});
	}

	private static Mono<Long> insert(DatabaseClient client, List<UnitRow> rows) {
		StringBuilder sql = new StringBuilder("INSERT INTO ab_test_unit (ab_test_id, unit_hash, variant) VALUES ");
		for (int i = 0; i < rows.size(); i++) {
			sql.append(i == 0 ? "" : ", ").append("(:t").append(i).append(", :h").append(i).append(", :v").append(i)
				.append(')');
		}
		DatabaseClient.GenericExecuteSpec spec = client.sql(sql.toString());
		for (int i = 0; i < rows.size(); i++) {
			spec = spec.bind("t" + i, rows.get(i).testId())
				.bind("h" + i, rows.get(i).unitHash())
				.bind("v" + i, rows.get(i).variant());
		}
		return spec.fetch().rowsUpdated();
	}

	/** Forgets the units of tests that ended: nothing counts them any more. */
	static Mono<Long> forgetEnded(Database database) {
		return database.write(client -> client
			.sql("DELETE FROM ab_test_unit WHERE ab_test_id IN "
					+ "(SELECT id FROM ab_test WHERE status IN ('STOPPED', 'DECIDED', 'INVALID'))")
			.fetch()
			.rowsUpdated());
	}

}
