package dev.flywheel.registry.model;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.registry.event.EventLog;
import dev.flywheel.registry.event.RegistryEvent;
import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.search.Comparison;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;
import dev.flywheel.registry.search.SqlQuery;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.Sql;

/**
 * Registered models: create, read, rename, describe, delete, tag and search. Every change locks the model's row
 * first ({@link #lock}), which also serialises it with version and alias changes of the same model.
 */
@Component
public class RegisteredModelStore {

	private final Database database;

	private final EventLog events;

	private final Clock clock;

	RegisteredModelStore(Database database, EventLog events, Clock clock) {
		this.database = database;
		this.events = events;
		this.clock = clock;
	}

	Mono<RegisteredModel> create(String name, String description, String userId, List<KeyValue> tags) {
		long now = clock.millis();
		return database.write(client -> {
			var insert = client.sql("INSERT INTO registered_models (name, creation_time, last_updated_time, "
					+ "description, user_id, last_version) VALUES (:name, :now, :now, :description, :user, 0)")
				.bind("name", name)
				.bind("now", now);
			insert = Sql.bind(insert, "description", description, String.class);
			insert = Sql.bind(insert, "user", userId, String.class);
			return insert.then()
				.then(Flux.fromIterable(tags).concatMap(tag -> upsertTag(client, name, tag)).then())
				.then(events.append(client, RegistryEvent.MODEL_CREATED, name, null, null, null))
				.then(ModelReader.model(client, name));
		})
			.onErrorMap(Sql::isUniqueViolation,
					ex -> MlflowException.alreadyExists("Registered Model (name=" + name + ") already exists."))
			.doOnSuccess(created -> events.committed());
	}

	public Mono<RegisteredModel> get(String name) {
		return database.read(client -> ModelReader.model(client, name));
	}

	Mono<RegisteredModel> rename(String name, String newName) {
		return database.write(client -> lock(client, name)
			.then(client.sql("UPDATE registered_models SET name = :newName, last_updated_time = :now WHERE name = :name")
				.bind("newName", newName)
				.bind("now", clock.millis())
				.bind("name", name)
				.then())
			.then(ModelReader.model(client, newName)))
			.onErrorMap(Sql::isUniqueViolation,
					ex -> MlflowException.alreadyExists("Registered Model (name=" + newName + ") already exists."));
	}

	Mono<RegisteredModel> describe(String name, String description) {
		return database.write(client -> lock(client, name)
			.then(Sql.bind(client.sql("UPDATE registered_models SET description = :description, "
					+ "last_updated_time = :now WHERE name = :name"), "description", description, String.class)
				.bind("now", clock.millis())
				.bind("name", name)
				.then())
			.then(ModelReader.model(client, name)));
	}

	/** Deletes the model with its versions, tags and aliases; followers hear of each alias that disappears. */
	Mono<Void> delete(String name) {
		return database.write(client -> lock(client, name)
			.thenMany(client.sql("SELECT alias, version FROM registered_model_aliases WHERE name = :name ORDER BY alias")
				.bind("name", name)
				.map(row -> new RegisteredModel.Alias(row.get("alias", String.class),
						String.valueOf(row.get("version", Long.class))))
				.all())
			.collectList()
			.flatMap(aliases -> client.sql("DELETE FROM registered_models WHERE name = :name")
				.bind("name", name)
				.then()
				.then(Flux.fromIterable(aliases)
					.concatMap(alias -> events.append(client, RegistryEvent.ALIAS_DELETED, name,
							Long.parseLong(alias.version()), alias.alias(), null))
					.then())
				.then(events.append(client, RegistryEvent.MODEL_DELETED, name, null, null, null))))
			.doOnSuccess(done -> events.committed());
	}

	Mono<Void> setTag(String name, KeyValue tag) {
		return database.write(client -> lock(client, name).then(upsertTag(client, name, tag)));
	}

	Mono<Void> deleteTag(String name, String key) {
		return database.write(client -> lock(client, name)
			.then(client.sql("DELETE FROM registered_model_tags WHERE name = :name AND tag_key = :key")
				.bind("name", name)
				.bind("key", key)
				.then()));
	}

	Mono<SearchResult> search(List<Comparison> filter, List<OrderBy> orderBy, Page page) {
		SqlQuery query = new SqlQuery();
		for (Comparison comparison : filter) {
			query.where(condition(query, comparison));
		}
		for (OrderBy order : orderBy) {
			query.orderNullsLast(orderColumn(order), order.ascending());
		}
		query.order("m.name ASC");
		String sql = "SELECT " + ModelReader.MODEL_COLUMNS + " FROM registered_models m" + query.whereClause()
				+ query.orderByClause() + page.limitClause();
		return database.read(client -> query.bindAll(client.sql(sql))
			.map(ModelReader::modelRow)
			.all()
			.collectList()
			.flatMap(read -> ModelReader.modelsWithDetails(client, page.rows(read))
				.map(models -> new SearchResult(models, page.nextToken(read)))));
	}

	private static String condition(SqlQuery query, Comparison comparison) {
		String sql = switch (comparison.type()) {
			case "attribute" -> {
				if (!comparison.key().equals("name")) {
					throw MlflowException.invalid("Invalid attribute key '" + comparison.key()
							+ "' in a registered model filter: only 'name' and tags can be searched");
				}
				yield query.stringCondition("m.name", comparison);
			}
			case "tag" -> {
				String exists = "EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.tag_key = "
						+ query.bind(comparison.key());
				String value = query.stringCondition("t.tag_value", comparison);
				yield value == null ? null : exists + " AND " + value + ")";
			}
			default -> throw MlflowException.invalid("Invalid entity type '" + comparison.type()
					+ "' in a registered model filter: only 'name' and tags can be searched");
		};
		if (sql == null) {
			throw MlflowException.invalid("Invalid comparison '" + comparison + "' in a registered model filter");
		}
		return sql;
	}

	private static String orderColumn(OrderBy order) {
		if (order.type().equals("attribute")) {
			switch (order.key()) {
				case "name":
					return "m.name";
				case "timestamp", "last_updated_timestamp":
					return "m.last_updated_time";
				case "creation_timestamp":
					return "m.creation_time";
				default:
					break;
			}
		}
		throw MlflowException.invalid("Invalid order_by clause '" + order.key() + "': registered models can be "
				+ "ordered by name, creation_timestamp, last_updated_timestamp or timestamp");
	}

	private static Mono<Void> upsertTag(DatabaseClient client, String name, KeyValue tag) {
		return Sql.upsert(client, "registered_model_tags", Map.of("name", name, "tag_key", tag.key()),
				Map.of("tag_value", tag.value()));
	}

	/** Locks the model's row for the rest of the transaction; gives its last version number. */
	static Mono<Long> lock(DatabaseClient client, String name) {
		return client.sql("SELECT last_version FROM registered_models WHERE name = :name FOR UPDATE")
			.bind("name", name)
			.map(row -> row.get("last_version", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> ModelReader.modelNotFound(name)));
	}

	record SearchResult(List<RegisteredModel> registeredModels, String nextPageToken) {
	}

}
