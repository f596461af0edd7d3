package dev.flywheel.registry.system;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Small helpers for binding and reading SQL through Spring's {@code DatabaseClient}. */
public final class Sql {

	private Sql() {
	}

	/** Binds {@code value}, or a typed NULL when it is null. */
	public static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
		return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
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
