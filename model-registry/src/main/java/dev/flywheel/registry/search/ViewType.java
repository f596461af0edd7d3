package dev.flywheel.registry.search;

import java.util.Locale;

import dev.flywheel.registry.mlflow.MlflowException;

/** MLflow's {@code view_type}/{@code run_view_type}: which lifecycle stages a search sees. */
public enum ViewType {

	ACTIVE_ONLY, DELETED_ONLY, ALL;

	/** By name or by proto number (1, 2, 3); absent means ACTIVE_ONLY. */
	public static ViewType parse(String value) {
		if (value == null || value.isEmpty()) {
			return ACTIVE_ONLY;
		}
		switch (value.toUpperCase(Locale.ROOT)) {
			case "ACTIVE_ONLY", "1":
				return ACTIVE_ONLY;
			case "DELETED_ONLY", "2":
				return DELETED_ONLY;
			case "ALL", "3":
				return ALL;
			default:
				throw MlflowException.invalid("Invalid view_type '" + value + "': expected ACTIVE_ONLY, DELETED_ONLY "
						+ "or ALL");
		}
	}

	/** Adds this view's condition on {@code column} (a lifecycle_stage column) to {@code query}. */
	public void apply(SqlQuery query, String column) {
		switch (this) {
			case ACTIVE_ONLY -> query.where(column + " = 'active'");
			case DELETED_ONLY -> query.where(column + " = 'deleted'");
			case ALL -> {
			}
		}
	}

}
