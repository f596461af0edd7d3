package dev.flywheel.registry.model;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.search.Comparison;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;
import dev.flywheel.registry.search.SqlQuery;
import dev.flywheel.support.Database;

/**
 * {@code model-versions/search}: filters on {@code name}, {@code version_number}, {@code run_id},
 * {@code source_path}, {@code current_stage} and tags, ordered by name, version_number or timestamps.
 */
@Component
class ModelVersionSearch {

	private final Database database;

	ModelVersionSearch(Database database) {
		this.database = database;
	}

	record Result(List<ModelVersion> modelVersions, String nextPageToken) {
	}

	Mono<Result> search(List<Comparison> filter, List<OrderBy> orderBy, Page page) {
		SqlQuery query = new SqlQuery();
		for (Comparison comparison : filter) {
			query.where(condition(query, comparison));
		}
		for (OrderBy order : orderBy) {
			query.orderNullsLast(orderColumn(order), order.ascending());
		}
		if (orderBy.isEmpty()) {
			query.order("v.name ASC").order("v.version DESC");
		}
		query.order("v.name ASC").order("v.version ASC");
		String sql = "SELECT " + ModelReader.VERSION_COLUMNS + " FROM model_versions v" + query.whereClause()
				+ query.orderByClause() + page.limitClause();
		return database.read(client -> query.bindAll(client.sql(sql))
			.map(ModelReader::version)
			.all()
			.collectList()
			.flatMap(read -> ModelReader.withDetails(client, page.rows(read))
				.map(versions -> new Result(versions, page.nextToken(read)))));
	}

	private static String condition(SqlQuery query, Comparison comparison) {
		String sql = switch (comparison.type()) {
			case "attribute" -> switch (comparison.key()) {
				case "name" -> query.stringCondition("v.name", comparison);
				case "run_id" -> query.stringCondition("v.run_id", comparison);
				case "source_path" -> query.stringCondition("v.source", comparison);
				case "current_stage" -> query.stringCondition("v.current_stage", comparison);
				case "version_number" -> query.integerCondition("v.version", comparison);
				default -> throw MlflowException.invalid("Invalid attribute key '" + comparison.key() + "' in a model "
						+ "version filter: expected name, version_number, run_id, source_path or current_stage");
			};
			case "tag" -> {
				String exists = "EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND "
						+ "t.version = v.version AND t.tag_key = " + query.bind(comparison.key());
				String value = query.stringCondition("t.tag_value", comparison);
				yield value == null ? null : exists + " AND " + value + ")";
			}
			default -> throw MlflowException.invalid("Invalid entity type '" + comparison.type()
					+ "' in a model version filter: only attributes and tags can be searched");
		};
		if (sql == null) {
			throw MlflowException.invalid("Invalid comparison '" + comparison + "' in a model version filter");
		}
		return sql;
	}

	private static String orderColumn(OrderBy order) {
		if (order.type().equals("attribute")) {
			switch (order.key()) {
				case "name":
					return "v.name";
				case "version_number":
					return "v.version";
				case "creation_timestamp":
					return "v.creation_time";
				case "timestamp", "last_updated_timestamp":
					return "v.last_updated_time";
				default:
					break;
			}
		}
		throw MlflowException.invalid("Invalid order_by clause '" + order.key() + "': model versions can be ordered "
				+ "by name, version_number, creation_timestamp or last_updated_timestamp");
	}

}
