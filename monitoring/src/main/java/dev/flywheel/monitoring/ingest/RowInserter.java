package dev.flywheel.monitoring.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.flywheel.support.Database;

/**
 * Stores rows keyed by prediction id, the first row of an id winning: ids already stored (or repeated in the same
 * post) are counted as duplicates and left as they are. All of a post's rows are stored in one transaction, with
 * multi-row inserts. Two posts racing with the same new id make one transaction fail on the key; it is run again once,
 * and then sees the other's row.
 */
public final class RowInserter {

	private static final int IDS_PER_LOOKUP = 500;

	private static final int ROWS_PER_INSERT = 100;

	private final Database database;

	private final String table;

	private final List<Column> columns;

	/** A column and the type its nulls are bound as; the first column is the prediction id. */
	public record Column(String name, Class<?> type) {
	}

	public RowInserter(Database database, String table, List<Column> columns) {
		this.database = database;
		this.table = table;
		this.columns = List.copyOf(columns);
	}

	/** Stores the rows whose id (their first value) is new; the ids stored. */
	public Mono<Set<String>> insert(List<Object[]> rows) {
		return database.write(client -> insertNew(client, rows))
			.retryWhen(Retry.max(1).filter(DuplicateKeyException.class::isInstance));
	}

	private Mono<Set<String>> insertNew(DatabaseClient client, List<Object[]> rows) {
		Map<String, Object[]> byId = new LinkedHashMap<>();
		for (Object[] row : rows) {
			byId.putIfAbsent((String) row[0], row);
		}
		List<String> ids = new ArrayList<>(byId.keySet());
		return Flux.range(0, (ids.size() + IDS_PER_LOOKUP - 1) / IDS_PER_LOOKUP)
			.concatMap(chunk -> client
				.sql("SELECT prediction_id FROM " + table + " WHERE prediction_id IN (:ids)")
				.bind("ids", ids.subList(chunk * IDS_PER_LOOKUP, Math.min(ids.size(), (chunk + 1) * IDS_PER_LOOKUP)))
				.map(row -> row.get(0, String.class))
				.all())
			.collect(HashSet<String>::new, Set::add)
			.flatMap(existing -> {
				List<Object[]> fresh = byId.values().stream().filter(row -> !existing.contains(row[0])).toList();
				return Flux.range(0, (fresh.size() + ROWS_PER_INSERT - 1) / ROWS_PER_INSERT)
					.concatMap(chunk -> insertChunk(client, fresh.subList(chunk * ROWS_PER_INSERT,
							Math.min(fresh.size(), (chunk + 1) * ROWS_PER_INSERT))))
					.then(Mono.fromSupplier(() -> {
						Set<String> stored = new HashSet<>();
						fresh.forEach(row -> stored.add((String) row[0]));
						return stored;
					}));
			});
	}

	private Mono<Long> insertChunk(DatabaseClient client, List<Object[]> rows) {
		StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
		for (int column = 0; column < columns.size(); column++) {
			sql.append(column == 0 ? "" : ", ").append(columns.get(column).name());
		}
		sql.append(") VALUES ");
		for (int row = 0; row < rows.size(); row++) {
			sql.append(row == 0 ? "(" : ", (");
			for (int column = 0; column < columns.size(); column++) {
				sql.append(column == 0 ? ":p" : ", :p").append(row * columns.size() + column);
			}
			sql.append(')');
		}
		DatabaseClient.GenericExecuteSpec spec = client.sql(sql.toString());
		for (int row = 0; row < rows.size(); row++) {
			for (int column = 0; column < columns.size(); column++) {
				Object value = rows.get(row)[column];
				String name = "p" + (row * columns.size() + column);
				spec = value == null ? spec.bindNull(name, columns.get(column).type()) : spec.bind(name, value);
			}
		}
		return spec.fetch().rowsUpdated();
	}

}
