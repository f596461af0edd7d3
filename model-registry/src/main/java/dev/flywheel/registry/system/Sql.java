package dev.flywheel.registry.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Small helpers for binding and reading SQL through Spring's {@code DatabaseClient}. */
public final class Sql {

	private Sql() {
	}

	/** Binds {@code value}, or a typed NULL when it is null. */
	public static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
		return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
	}

	/**
	 * Sets {@code values} on the row of {@code table} identified by {@code key}, inserting the row when there is none.
	 * Callers hold the lock of the row's aggregate, so no other transaction inserts the same key in between. Table and
	 * column names come from code, never from a request.
	 */
	public static Mono<Void> upsert(DatabaseClient client, String table, Map<String, ?> key, Map<String, ?> values) {
		String assignments = values.keySet().stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "));
		String match = key.keySet().stream().map(c -> c + " = :" + c).collect(Collectors.joining(" AND "));
		Map<String, Object> all = new LinkedHashMap<>(key);
		all.putAll(values);
		String columns = String.join(", ", all.keySet());
		String placeholders = all.keySet().stream().map(c -> ":" + c).collect(Collectors.joining(", "));
		return bindAll(client.sql("UPDATE " + table + " SET " + assignments + " WHERE " + match), all).fetch()
			.rowsUpdated()
			.flatMap(updated -> updated > 0 ? Mono.<Void>empty()
					: bindAll(client.sql("INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ")"),
							all)
						.then());
	}

	private static GenericExecuteSpec bindAll(GenericExecuteSpec spec, Map<String, Object> values) {
		for (Map.Entry<String, Object> value : values.entrySet()) {
			spec = spec.bind(value.getKey(), value.getValue());
		}
		return spec;
	}

	/** Whether {@code ex} says a unique or primary key constraint refused a row. */
	public static boolean isUniqueViolation(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DuplicateKeyException) {
				return true;
			}
			if (cause instanceof io.r2dbc.spi.R2dbcException r2dbc && "23505".equals(r2dbc.getSqlState())) {
				return true;
			}
			if (cause instanceof DataIntegrityViolationException && cause.getMessage() != null
					&& cause.getMessage().contains("23505")) {
				return true;
			}
		}
		return false;
	}

}
