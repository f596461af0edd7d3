package dev.flywheel.registry.experiment;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.flywheel.registry.mlflow.KeyValue;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.search.Comparison;
import dev.flywheel.registry.search.OrderBy;
import dev.flywheel.registry.search.Page;
import dev.flywheel.registry.search.SqlQuery;
import dev.flywheel.registry.search.ViewType;
import dev.flywheel.support.Database;
import dev.flywheel.registry.system.Sql;

/** Experiments and their tags in the registry's database. */
@Component
public class ExperimentStore {

	private static final String COLUMNS = "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, "
			+ "e.creation_time, e.last_update_time";

	private final Database database;

	private final Clock clock;

	ExperimentStore(Database database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	Mono<String> create(String name, String artifactLocation, List<KeyValue> tags) {
		long now = clock.millis();
		return database.write(client -> client
			.sql("INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
					+ "VALUES (:name, :location, 'active', :now, :now)")
			.bind("name", name)
			.bind("location", artifactLocation == null ? "" : artifactLocation)
			.bind("now", now)
			.filter(statement -> statement.returnGeneratedValues("experiment_id"))
			.map(row -> row.get("experiment_id", Long.class))
			.one()
			.flatMap(id -> (artifactLocation == null ? client
				.sql("UPDATE experiments SET artifact_location = :location WHERE experiment_id = :id")
				.bind("location", "mlflow-artifacts:/" + id)
				.bind("id", id)
				.fetch()
				.rowsUpdated() : Mono.just(0L)).then(Mono.defer(() -> insertTags(client, id, tags)))
				.thenReturn(String.valueOf(id))))
			.onErrorMap(Sql::isUniqueViolation,
					ex -> MlflowException.alreadyExists("Experiment '" + name + "' already exists."));
	}

	private static Mono<Void> insertTags(DatabaseClient client, long id, List<KeyValue> tags) {
		Mono<Void> work = Mono.empty();
		for (KeyValue tag : tags) {
			work = work.then(upsertTag(client, id, tag));
		}
		return work;
	}

	private static Mono<Void> upsertTag(DatabaseClient client, long id, KeyValue tag) {
		return Sql.upsert(client, "experiment_tags", Map.of("experiment_id", id, "tag_key", tag.key()),
				Map.of("tag_value", tag.value()));
	}

	public Mono<Experiment> get(String experimentId) {
		long id = parseId(experimentId);
		return database.read(client -> select(client, " WHERE e.experiment_id = :id", Map.of("id", id)))
			.switchIfEmpty(Mono.error(() -> notFound(experimentId)));
	}

	Mono<Experiment> getByName(String name) {
		return database.read(client -> select(client, " WHERE e.name = :name", Map.of("name", name)))
			.switchIfEmpty(Mono.error(
					() -> MlflowException.notFound("Could not find experiment with name '" + name + "'")));
	}

	private Mono<Experiment> select(DatabaseClient client, String where, Map<String, Object> parameters) {
		var spec = client.sql("SELECT " + COLUMNS + " FROM experiments e" + where);
		for (var parameter : parameters.entrySet()) {
			spec = spec.bind(parameter.getKey(), parameter.getValue());
		}
		return spec.map(ExperimentStore::experiment).one().flatMap(experiment -> withTags(client, List.of(experiment))
			.map(list -> list.get(0)));
	}

	Mono<SearchResult> search(ViewType view, List<Comparison> filter, List<OrderBy> orderBy, Page page) {
		SqlQuery query = new SqlQuery();
		view.apply(query, "e.lifecycle_stage");
		for (Comparison comparison : filter) {
			query.where(condition(query, comparison));
		}
		for (OrderBy order : orderBy) {
			query.orderNullsLast(orderColumn(order), order.ascending());
		}
		if (orderBy.isEmpty()) {
			query.order("e.creation_time DESC");
		}
		query.order("e.experiment_id ASC");
		String sql = "SELECT " + COLUMNS + " FROM experiments e" + query.whereClause() + query.orderByClause()
				+ page.limitClause();
		return database.read(client -> query.bindAll(client.sql(sql))
			.map(ExperimentStore::experiment)
			.all()
			.collectList()
			.flatMap(read -> withTags(client, page.rows(read))
				.map(experiments -> new SearchResult(experiments, page.nextToken(read)))));
	}

	private static String condition(SqlQuery query, Comparison comparison) {
		String sql = switch (comparison.type()) {
			case "attribute" -> switch (comparison.key()) {
				case "name" -> query.stringCondition("e.name", comparison);
				case "creation_time", "last_update_time" -> query.integerCondition("e." + comparison.key(),
						comparison);
				case "experiment_id" -> comparison.operator().contains("IN")
						? query.stringCondition("CAST(e.experiment_id AS VARCHAR(20))", comparison) : null;
				default -> throw MlflowException.invalid("Invalid attribute key '" + comparison.key()
						+ "' specified. Valid keys are '[name, creation_time, last_update_time]'");
			};
			case "tag" -> tagCondition(query, comparison);
			default -> throw MlflowException.invalid("Invalid entity type '" + comparison.type()
					+ "' in an experiment filter: only attributes and tags can be searched");
		};
		if (sql == null) {
			throw MlflowException.invalid("Invalid comparison '" + comparison + "' in an experiment filter");
		}
		return sql;
	}

	private static String tagCondition(SqlQuery query, Comparison comparison) {
		String key = query.bind(comparison.key());
		String exists = "EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND "
				+ "t.tag_key = " + key;
		return switch (comparison.operator()) {
			case "IS NULL" -> "NOT " + exists + ")";
			case "IS NOT NULL" -> exists + ")";
			default -> {
				String value = query.stringCondition("t.tag_value", comparison);
				yield value == null ? null : exists + " AND " + value + ")";
			}
		};
	}

	private static String orderColumn(OrderBy order) {
		if (!order.type().equals("attribute")) {
			throw MlflowException.invalid("Invalid order_by entity '" + order.type() + "': experiments can be "
					+ "ordered by name, experiment_id, creation_time or last_update_time");
		}
		return switch (order.key()) {
			case "name", "experiment_id", "creation_time", "last_update_time" -> "e." + order.key();
			default -> throw MlflowException.invalid("Invalid order_by key '" + order.key() + "': experiments can be "
					+ "ordered by name, experiment_id, creation_time or last_update_time");
		};
	}

	Mono<Void> setLifecycle(String experimentId, String from, String to) {
		long id = parseId(experimentId);
		long now = clock.millis();
		return database.write(client -> lock(client, experimentId).flatMap(stage -> {
			if (!stage.equals(from)) {
				return Mono.error(MlflowException.invalid("Cannot " + (to.equals("deleted") ? "delete" : "restore")
						+ " experiment " + experimentId + ": its lifecycle stage is '" + stage + "'"));
			}
			return client
				.sql("UPDATE experiments SET lifecycle_stage = :to, last_update_time = :now WHERE experiment_id = :id")
				.bind("to", to)
				.bind("now", now)
				.bind("id", id)
				.then()
				.then(Sql.bind(client.sql("UPDATE runs SET lifecycle_stage = :to, deleted_time = :deleted "
						+ "WHERE experiment_id = :id AND lifecycle_stage = :from"), "deleted",
						to.equals("deleted") ? now : null, Long.class)
					.bind("to", to)
					.bind("from", from)
					.bind("id", id)
					.then());
		}));
	}

	Mono<Void> rename(String experimentId, String newName) {
		long id = parseId(experimentId);
		return database.write(client -> lock(client, experimentId).flatMap(stage -> {
			if (!stage.equals("active")) {
				return Mono.error(MlflowException.invalid("Cannot rename a non-active experiment."));
			}
			return client
				.sql("UPDATE experiments SET name = :name, last_update_time = :now WHERE experiment_id = :id")
				.bind("name", newName)
				.bind("now", clock.millis())
				.bind("id", id)
				.then();
		})).onErrorMap(Sql::isUniqueViolation,
				ex -> MlflowException.alreadyExists("Experiment '" + newName + "' already exists."));
	}

	Mono<Void> setTag(String experimentId, KeyValue tag) {
		long id = parseId(experimentId);
		return database.write(client -> lock(client, experimentId).flatMap(stage -> {
			if (!stage.equals("active")) {
				return Mono.error(MlflowException.invalid("The experiment " + experimentId
						+ " must be in the 'active' state. Current state is " + stage + "."));
			}
			return upsertTag(client, id, tag);
		}));
	}

	/** Locks the experiment's row for the rest of the transaction; gives its lifecycle stage. */
	private Mono<String> lock(DatabaseClient client, String experimentId) {
		return client.sql("SELECT lifecycle_stage FROM experiments WHERE experiment_id = :id FOR UPDATE")
			.bind("id", parseId(experimentId))
			.map(row -> row.get("lifecycle_stage", String.class))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(experimentId)));
	}

	private static Mono<List<Experiment>> withTags(DatabaseClient client, List<Experiment> experiments) {
		if (experiments.isEmpty()) {
			return Mono.just(List.of());
		}
		List<Long> ids = experiments.stream().map(e -> Long.parseLong(e.experimentId())).toList();
		return client
			.sql("SELECT experiment_id, tag_key, tag_value FROM experiment_tags WHERE experiment_id IN (:ids) "
					+ "ORDER BY tag_key")
			.bind("ids", ids)
			.map(row -> Map.entry(String.valueOf(row.get("experiment_id", Long.class)),
					new KeyValue(row.get("tag_key", String.class), row.get("tag_value", String.class))))
			.all()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
			.map(tags -> experiments.stream()
				.map(e -> e.withTags(tags.getOrDefault(e.experimentId(), List.of())))
				.toList());
	}

	private static Experiment experiment(Readable row) {
		return new Experiment(String.valueOf(row.get("experiment_id", Long.class)), row.get("name", String.class),
				row.get("artifact_location", String.class), row.get("lifecycle_stage", String.class),
				row.get("last_update_time", Long.class), row.get("creation_time", Long.class), List.of());
	}

	static long parseId(String experimentId) {
		try {
			return Long.parseLong(experimentId);
		}
		catch (NumberFormatException ex) {
			throw notFound(experimentId);
		}
	}

	private static MlflowException notFound(String experimentId) {
		return MlflowException.notFound("Could not find experiment with ID " + experimentId);
	}

	record SearchResult(List<Experiment> experiments, String nextPageToken) {
	}

}
