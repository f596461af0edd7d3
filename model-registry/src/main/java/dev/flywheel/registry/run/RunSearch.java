package dev.flywheel.registry.run;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.run.Run.Metric;
import dev.flywheel.registry.search.Comparison;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;
import dev.flywheel.registry.search.SqlQuery;
import dev.flywheel.registry.search.ViewType;
import dev.flywheel.support.Database;

/**
 * {@code runs/search} and {@code metrics/get-history}: MLflow's filter and order_by language over runs, translated to
 * SQL on the latest metrics, params, tags and run attributes.
 */
@Component
class RunSearch {

	private static final String STRING_ATTRIBUTES = "run_id, run_name, status, user_id, artifact_uri, lifecycle_stage";

	private final Database database;

	RunSearch(Database database) {
		this.database = database;
	}

	record Result(List<Run> runs, String nextPageToken) {
	}

	record History(List<Metric> metrics, String nextPageToken) {
	}

	Mono<Result> search(List<String> experimentIds, List<Comparison> filter, ViewType view, List<OrderBy> orderBy,
			Page page) {
		if (experimentIds.isEmpty()) {
			return Mono.just(new Result(List.of(), null));
		}
		SqlQuery query = new SqlQuery();
		List<Long> ids = experimentIds.stream().map(RunSearch::experimentId).toList();
		query.where("r.experiment_id IN (" + query.bind(ids) + ")");
		view.apply(query, "r.lifecycle_stage");
		for (Comparison comparison : filter) {
			query.where(condition(query, comparison));
		}
		int joined = 0;
		for (OrderBy order : orderBy) {
			query.orderNullsLast(orderColumn(query, order, joined++), order.ascending());
		}
		if (orderBy.isEmpty()) {
			query.order("r.start_time DESC");
		}
		query.order("r.run_uuid ASC");
		String sql = "SELECT " + RunStore.INFO_COLUMNS + " FROM runs r " + query.joins() + query.whereClause()
				+ query.orderByClause() + page.limitClause();
		return database.read(client -> query.bindAll(client.sql(sql))
			.map(RunStore::info)
			.all()
			.collectList()
			.flatMap(read -> RunStore.withData(client, page.rows(read))
				.map(runs -> new Result(runs, page.nextToken(read)))));
	}

	Mono<History> history(String runId, String key, Page page) {
		return database.read(client -> client.sql("SELECT run_uuid FROM runs WHERE run_uuid = :id")
			.bind("id", runId)
			.map(row -> row.get("run_uuid", String.class))
			.one()
			.switchIfEmpty(Mono.error(() -> RunStore.notFound(runId)))
			.then(client
				.sql("SELECT metric_key, metric_value, is_nan, metric_time, step FROM run_metrics "
						+ "WHERE run_uuid = :id AND metric_key = :key ORDER BY step, metric_time, metric_value"
						+ page.limitClause())
				.bind("id", runId)
				.bind("key", key)
				.map(RunDataWriter::metric)
				.all()
				.collectList())
			.map(read -> new History(page.rows(read), page.nextToken(read))));
	}

	private static long experimentId(String id) {
		try {
			return Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			throw MlflowException.invalid("Invalid experiment ID '" + id + "' in experiment_ids");
		}
	}

	private static String condition(SqlQuery query, Comparison comparison) {
		String sql = switch (comparison.type()) {
			case "metric" -> {
				String value = query.numberCondition("m.metric_value", comparison);
				yield value == null ? null : "EXISTS (SELECT 1 FROM run_latest_metrics m WHERE m.run_uuid = r.run_uuid"
						+ " AND m.is_nan = FALSE AND m.metric_key = " + query.bind(comparison.key()) + " AND " + value
						+ ")";
			}
			case "param" -> keyValueCondition(query, comparison, "run_params", "param_key", "param_value");
			case "tag" -> keyValueCondition(query, comparison, "run_tags", "tag_key", "tag_value");
			case "attribute" -> attributeCondition(query, comparison);
			default -> throw MlflowException.invalid("Invalid entity type '" + comparison.type()
					+ "' in a run filter: expected metrics, params, tags or attributes");
		};
		if (sql == null) {
			throw MlflowException.invalid("Invalid comparison '" + comparison + "' in a run filter");
		}
		return sql;
	}

	private static String keyValueCondition(SqlQuery query, Comparison comparison, String table, String keyColumn,
			String valueColumn) {
		String exists = "EXISTS (SELECT 1 FROM " + table + " x WHERE x.run_uuid = r.run_uuid AND x." + keyColumn
				+ " = " + query.bind(comparison.key());
		return switch (comparison.operator()) {
			case "IS NULL" -> "NOT " + exists + ")";
			case "IS NOT NULL" -> exists + ")";
			default -> {
				String value = query.stringCondition("x." + valueColumn, comparison);
				yield value == null ? null : exists + " AND " + value + ")";
			}
		};
	}

	private static String attributeCondition(SqlQuery query, Comparison comparison) {
		String key = comparison.key();
		return switch (key) {
			case "start_time", "end_time", "created", "Created" -> query
				.integerCondition(key.equalsIgnoreCase("created") ? "r.start_time" : "r." + key, comparison);
			case "run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage" -> query
				.stringCondition(key.equals("run_id") ? "r.run_uuid" : "r." + key, comparison);
			default -> throw MlflowException.invalid("Invalid attribute key '" + key + "' specified. Valid keys are "
					+ "start_time, end_time, created, " + STRING_ATTRIBUTES);
		};
	}

	private static String orderColumn(SqlQuery query, OrderBy order, int index) {
		String alias = "o" + index;
		return switch (order.type()) {
			case "metric" -> {
				query.join("LEFT JOIN run_latest_metrics " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND "
						+ alias + ".metric_key = " + query.bind(order.key()) + " AND " + alias + ".is_nan = FALSE");
				yield alias + ".metric_value";
			}
			case "param" -> {
				query.join("LEFT JOIN run_params " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
						+ ".param_key = " + query.bind(order.key()));
				yield alias + ".param_value";
			}
			case "tag" -> {
				query.join("LEFT JOIN run_tags " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
						+ ".tag_key = " + query.bind(order.key()));
				yield alias + ".tag_value";
			}
			case "attribute" -> switch (order.key()) {
				case "start_time", "end_time", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage" ->
					"r." + order.key();
				case "created", "Created" -> "r.start_time";
				case "run_id" -> "r.run_uuid";
				default -> throw MlflowException.invalid("Invalid order_by attribute '" + order.key() + "'");
			};
			default -> throw MlflowException.invalid("Invalid order_by entity type '" + order.type() + "'");
		};
	}

}
