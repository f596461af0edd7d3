package dev.flywheel.router.deciding;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.router.decision.RequestCounts;
import dev.flywheel.router.decision.RewardStats;
import dev.flywheel.support.Database;

/**
 * The stored counts of a test's variants, and its decision. The decision's primary key is the test, so that of two
 * replicas deciding the same test at once only one stores a decision (the other's insert fails and it steps back).
 */
@Component
class DecisionStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Database database;

	DecisionStore(Database database) {
		this.database = database;
	}

	/** Every variant and shadow of a test, in the order defined. */
	Mono<List<VariantCounts>> counts(String testId) {
		return database.read(client -> client.sql("SELECT name, shadow, assignments, assignments_base, units, units_base, reward_count, "
				+ "reward_sum, reward_sum_squares, requests, errors, slow_requests, compared_rows, agreed_rows, "
				+ "feedback_count, served_version FROM ab_test_variant WHERE ab_test_id = :id ORDER BY position")
			.bind("id", testId)
			.map(row -> {
				long rewardCount = row.get("reward_count", Long.class);
				double sum = row.get("reward_sum", Double.class);
				double squares = row.get("reward_sum_squares", Double.class);
				long requests = row.get("requests", Long.class);
				long assignments = row.get("assignments", Long.class);
				long units = row.get("units", Long.class);
				return new VariantCounts(row.get("name", String.class),
						Boolean.TRUE.equals(row.get("shadow", Boolean.class)), assignments,
						assignments - row.get("assignments_base", Long.class), units,
						units - row.get("units_base", Long.class),
						rewardCount == 0 ? RewardStats.EMPTY : new RewardStats(rewardCount, sum, squares),
						new RequestCounts(requests, Math.min(requests, row.get("errors", Long.class)),
								Math.min(requests, row.get("slow_requests", Long.class))),
						row.get("compared_rows", Long.class), row.get("agreed_rows", Long.class),
						row.get("feedback_count", Long.class), row.get("served_version", String.class));
			})
			.all()
			.collectList());
	}

	/** Stores a decision; false when the test has one already (stored by another replica). */
	Mono<Boolean> insert(StoredDecision decision) {
		return database.write(client -> {
			var spec = client.sql("INSERT INTO ab_decision (ab_test_id, outcome, winner, evidence, decided_at, action, "
					+ "action_state, action_attempts) SELECT :id, :outcome, :winner, :evidence, :decided_at, :action, "
					+ ":state, 0 WHERE NOT EXISTS (SELECT 1 FROM ab_decision WHERE ab_test_id = :id)");
			spec = decision.winner() == null ? spec.bindNull("winner", String.class)
					: spec.bind("winner", decision.winner());
			return spec.bind("id", decision.testId())
			.bind("outcome", decision.outcome())
			.bind("evidence", JSON.writeValueAsString(decision.evidence()))
			.bind("decided_at", decision.decidedAt())
			.bind("action", decision.action())
			.bind("state", decision.actionState())
			.fetch()
			.rowsUpdated()
			.map(rows -> rows == 1);
		}).onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, ex -> Mono.just(false));
	}

	Mono<StoredDecision> find(String testId) {
		return database.read(client -> client.sql(SELECT + " WHERE ab_test_id = :id")
			.bind("id", testId)
			.map(DecisionStore::decision)
			.one());
	}

	/** Decisions whose action has not run yet. */
	Mono<List<StoredDecision>> pending() {
		return database.read(client -> client.sql(SELECT + " WHERE action_state = :state ORDER BY decided_at")
			.bind("state", StoredDecision.PENDING)
			.map(DecisionStore::decision)
			.all()
			.collectList());
	}

	Mono<Void> actionDone(String testId, long at) {
		return database.write(client -> client.sql("UPDATE ab_decision SET action_state = :state, action_done_at = :at, "
				+ "action_attempts = action_attempts + 1, action_error = NULL WHERE ab_test_id = :id")
			.bind("state", StoredDecision.DONE)
			.bind("at", at)
			.bind("id", testId)
			.fetch()
			.rowsUpdated()
			.then());
	}

	Mono<Void> actionFailed(String testId, String error) {
		String shortened = error.length() > 2000 ? error.substring(0, 2000) : error;
		return database.write(client -> client.sql("UPDATE ab_decision SET action_attempts = action_attempts + 1, "
				+ "action_error = :error WHERE ab_test_id = :id")
			.bind("error", shortened)
			.bind("id", testId)
			.fetch()
			.rowsUpdated()
			.then());
	}

	private static final String SELECT = "SELECT ab_test_id, outcome, winner, evidence, decided_at, action, "
			+ "action_state, action_attempts, action_error, action_done_at FROM ab_decision";

	private static StoredDecision decision(io.r2dbc.spi.Readable row) {
		String winner = row.get("winner", String.class);
		return new StoredDecision(row.get("ab_test_id", String.class), row.get("outcome", String.class),
				winner,
				JSON.readValue(row.get("evidence", String.class), new TypeReference<Map<String, Object>>() {
				}), row.get("decided_at", Long.class), row.get("action", String.class),
				row.get("action_state", String.class), row.get("action_attempts", Integer.class),
				row.get("action_error", String.class), row.get("action_done_at", Long.class));
	}

}
