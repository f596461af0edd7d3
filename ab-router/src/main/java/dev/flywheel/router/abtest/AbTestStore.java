package dev.flywheel.router.abtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;

import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.ErrorRateGuardrail;
import dev.flywheel.router.decision.Guardrail;
import dev.flywheel.router.decision.LatencyGuardrail;
import dev.flywheel.support.Database;

/**
 * A/B tests in the router's database: one {@code ab_test} row per test and one {@code ab_test_variant} row per variant
 * and shadow. The column {@code running_model} holds the model name while a test runs and is NULL otherwise; its
 * unique index is what keeps a second test of the same model from running, even between replicas.
 */
@Component
class AbTestStore {

	private static final String TEST_COLUMNS = "t.id, t.model_name, t.reward_kind, t.alpha, t.min_samples, "
			+ "t.max_samples, t.max_error_rate_increase, t.p99_latency_ms, t.action, t.allocation, t.uniform_share, "
			+ "t.salt, t.status, t.status_reason, t.created_at, t.updated_at";

	private final Database database;

	AbTestStore(Database database) {
		this.database = database;
	}

	/** Stores a new test; fails with {@link AbTestConflictException} when it runs and its model already has one running. */
	Mono<AbTest> insert(AbTest test) {
		return database.write(client -> refuseSecondRunning(client, test)
			.then(bindTest(client, ("INSERT INTO ab_test (id, model_name, running_model, reward_kind, alpha, "
					+ "min_samples, max_samples, max_error_rate_increase, p99_latency_ms, action, allocation, "
					+ "uniform_share, salt, status, status_reason, created_at, updated_at) VALUES (:id, :model_name, "
					+ ":running_model, :reward_kind, :alpha, :min_samples, :max_samples, :max_error_rate_increase, "
					+ ":p99_latency_ms, :action, :allocation, :uniform_share, :salt, :status, :status_reason, "
					+ ":created_at, :updated_at)"), test).then())
			.then(insertVariants(client, test))
			.then(insertWeights(client, test, 0))
			.thenReturn(test))
			.onErrorMap(AbTestStore::isRunningViolation, ex -> secondRunning(test.model(), null));
	}

	Mono<AbTest> find(String id) {
		return database.read(client -> select(client, "WHERE t.id = :id", Map.of("id", id))
			.flatMap(tests -> Mono.justOrEmpty(tests.stream().findFirst())));
	}

	/** Tests, newest first, of one model and in one status when those are given. */
	Mono<List<AbTest>> list(String model, AbTestStatus status) {
		List<String> conditions = new ArrayList<>();
		Map<String, Object> values = new LinkedHashMap<>();
		if (model != null) {
			conditions.add("t.model_name = :model");
			values.put("model", model);
		}
		if (status != null) {
			conditions.add("t.status = :status");
			values.put("status", status.name());
		}
		String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
		return database.read(client -> select(client, where, values));
	}

	/**
	 * Applies {@code change} to the stored test under its row lock and stores the result; empty when there is no
	 * such test.
	 */
	Mono<AbTest> update(String id, Function<AbTest, AbTest> change) {
		return database.write(client -> client.sql("SELECT id FROM ab_test WHERE id = :id FOR UPDATE")
			.bind("id", id)
			.fetch()
			.one()
			.flatMap(locked -> select(client, "WHERE t.id = :id", Map.of("id", id)))
			.flatMap(tests -> Mono.justOrEmpty(tests.stream().findFirst()))
			.flatMap(current -> {
				AbTest changed = change.apply(current);
				Mono<Void> guard = changed.status() == AbTestStatus.RUNNING && current.status() != AbTestStatus.RUNNING
						? refuseSecondRunning(client, changed) : Mono.empty();
				return guard.then(bindTest(client, ("UPDATE ab_test SET running_model = :running_model, "
						+ "status = :status, status_reason = :status_reason, updated_at = :updated_at WHERE id = :id"),
						changed).then())
					.then(weightsChanged(current, changed) ? updateWeights(client, changed)
						.then(nextRevision(client, id))
						.flatMap(revision -> insertWeights(client, changed, revision)) : Mono.empty())
					.thenReturn(changed)
					.onErrorMap(AbTestStore::isRunningViolation, ex -> secondRunning(changed.model(), null));
			}));
	}

	private static Mono<Void> refuseSecondRunning(DatabaseClient client, AbTest test) {
		if (test.status() != AbTestStatus.RUNNING) {
			return Mono.empty();
		}
		return client.sql("SELECT id FROM ab_test WHERE running_model = :model AND id <> :id")
			.bind("model", test.model())
			.bind("id", test.id())
			.map(row -> row.get("id", String.class))
			.first()
			.flatMap(running -> Mono.error(secondRunning(test.model(), running)));
	}

	private static AbTestConflictException secondRunning(String model, String runningId) {
		return new AbTestConflictException("Model '" + model + "' already has a running A/B test"
				+ (runningId == null ? "" : " (" + runningId + ")")
				+ "; only one test per model runs at a time: stop or pause it first");
	}

	private static boolean isRunningViolation(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
			if (message.contains("ab_test_one_running_per_model")) {
				return true;
			}
		}
		return false;
	}

	/** The statement {@code sql} with those of the test's columns bound that it names as parameters. */
	private static GenericExecuteSpec bindTest(DatabaseClient client, String sql, AbTest test) {
		GenericExecuteSpec spec = client.sql(sql);
		AbTestDefinition definition = test.definition();
		DecisionPolicy policy = definition.policy();
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("id", test.id());
		values.put("model_name", definition.model());
		values.put("running_model", test.status() == AbTestStatus.RUNNING ? definition.model() : null);
		values.put("reward_kind", definition.reward().name());
		values.put("alpha", policy.alpha());
		values.put("min_samples", policy.minSamplesPerVariant());
		values.put("max_samples", policy.maxTotalSamples().isPresent() ? policy.maxTotalSamples().getAsLong() : null);
		values.put("max_error_rate_increase", Guardrails.errorRateMargin(policy).orElse(null));
		values.put("p99_latency_ms", Guardrails.p99LatencyMillis(policy).orElse(null));
		values.put("action", definition.action().name());
		values.put("allocation", definition.allocation().mode().name());
		values.put("uniform_share",
				definition.allocation().mode() == Allocation.Mode.THOMPSON ? definition.allocation().uniformShare() : null);
		values.put("salt", test.salt());
		values.put("status", test.status().name());
		values.put("status_reason", test.statusReason());
		values.put("created_at", test.createdAt().toEpochMilli());
		values.put("updated_at", test.updatedAt().toEpochMilli());
		Map<String, Class<?>> types = Map.of("running_model", String.class, "max_samples", Long.class,
				"max_error_rate_increase", Double.class, "p99_latency_ms", Long.class, "uniform_share", Double.class,
				"status_reason", String.class);
		for (Map.Entry<String, Object> value : values.entrySet()) {
			String name = value.getKey();
			if (!java.util.regex.Pattern.compile(":" + name + "\\b").matcher(sql).find()) {
				continue;
			}
			spec = value.getValue() == null ? spec.bindNull(name, types.getOrDefault(name, String.class))
					: spec.bind(name, value.getValue());
		}
		return spec;
	}

	private static Mono<Void> insertVariants(DatabaseClient client, AbTest test) {
		List<Mono<Long>> inserts = new ArrayList<>();
		List<Variant> variants = test.definition().variants();
		for (int i = 0; i < variants.size(); i++) {
			inserts.add(insertVariant(client, test.id(), variants.get(i).name(), i, false, variants.get(i).target(),
					variants.get(i).weight()));
		}
		List<ShadowVariant> shadows = test.definition().shadows();
		for (int i = 0; i < shadows.size(); i++) {
			inserts.add(insertVariant(client, test.id(), shadows.get(i).name(), variants.size() + i, true,
					shadows.get(i).target(), null));
		}
		return Mono.when(reactor.core.publisher.Flux.concat(inserts));
	}

	private static Mono<Long> insertVariant(DatabaseClient client, String testId, String name, int position,
			boolean shadow, VersionSelector target, Double weight) {
		GenericExecuteSpec spec = client.sql("INSERT INTO ab_test_variant (ab_test_id, name, position, shadow, "
				+ "model_alias, model_version, weight) VALUES (:ab_test_id, :name, :position, :shadow, :model_alias, "
				+ ":model_version, :weight)")
			.bind("ab_test_id", testId)
			.bind("name", name)
			.bind("position", position)
			.bind("shadow", shadow);
		spec = target.alias() == null ? spec.bindNull("model_alias", String.class) : spec.bind("model_alias", target.alias());
		spec = target.version() == null ? spec.bindNull("model_version", String.class)
				: spec.bind("model_version", target.version());
		spec = weight == null ? spec.bindNull("weight", Double.class) : spec.bind("weight", weight);
		return spec.fetch().rowsUpdated();
	}

	/**
	 * Every weight revision of the test, oldest first, each in the variants' order: what {@code Split.replay} needs
	 * to assign units as the test has been ramped.
	 */
	Mono<List<List<Double>>> weightHistory(AbTest test) {
		List<String> names = test.definition().variants().stream().map(Variant::name).toList();
		return database.read(client -> client
			.sql("SELECT revision, variant, weight FROM ab_test_weight WHERE ab_test_id = :id ORDER BY revision")
			.bind("id", test.id())
			.map(row -> new WeightRow(row.get("revision", Integer.class), row.get("variant", String.class),
					row.get("weight", Double.class)))
			.all()
			.collect(java.util.TreeMap<Integer, Double[]>::new, (revisions, row) -> revisions
				.computeIfAbsent(row.revision(), r -> new Double[names.size()])[names.indexOf(row.variant())] = row
					.weight())
			.map(revisions -> revisions.values().stream().map(List::of).toList()));
	}

	private static boolean weightsChanged(AbTest before, AbTest after) {
		return !before.definition().variants().equals(after.definition().variants());
	}

	private static Mono<Integer> nextRevision(DatabaseClient client, String testId) {
		return client.sql("SELECT MAX(revision) AS latest FROM ab_test_weight WHERE ab_test_id = :id")
			.bind("id", testId)
			.map(row -> row.get("latest", Integer.class))
			.one()
			.map(latest -> latest + 1);
	}

	private static Mono<Void> insertWeights(DatabaseClient client, AbTest test, int revision) {
		return reactor.core.publisher.Flux.fromIterable(test.definition().variants())
			.concatMap(variant -> client.sql("INSERT INTO ab_test_weight (ab_test_id, revision, variant, weight, "
					+ "changed_at) VALUES (:id, :revision, :variant, :weight, :changed_at)")
				.bind("id", test.id())
				.bind("revision", revision)
				.bind("variant", variant.name())
				.bind("weight", variant.weight())
				.bind("changed_at", test.updatedAt().toEpochMilli())
				.fetch()
				.rowsUpdated())
			.then();
	}

	private record WeightRow(int revision, String variant, double weight) {
	}

	private static Mono<Void> updateWeights(DatabaseClient client, AbTest test) {
		return reactor.core.publisher.Flux.fromIterable(test.definition().variants())
			.concatMap(variant -> client
				.sql("UPDATE ab_test_variant SET weight = :weight, assignments_base = assignments, units_base = units "
						+ "WHERE ab_test_id = :id AND name = :name")
				.bind("weight", variant.weight())
				.bind("id", test.id())
				.bind("name", variant.name())
				.fetch()
				.rowsUpdated())
			.then();
	}

	/** Tests matching {@code where} (over {@code ab_test t}) with their variants, newest first. */
	private static Mono<List<AbTest>> select(DatabaseClient client, String where, Map<String, Object> values) {
		GenericExecuteSpec tests = bindAll(client.sql("SELECT " + TEST_COLUMNS + " FROM ab_test t " + where
				+ " ORDER BY t.created_at DESC, t.id"), values);
		GenericExecuteSpec variants = bindAll(client.sql("SELECT v.ab_test_id, v.name, v.position, v.shadow, "
				+ "v.model_alias, v.model_version, v.weight FROM ab_test_variant v JOIN ab_test t ON t.id = v.ab_test_id "
				+ where + " ORDER BY v.ab_test_id, v.position"), values);
		Mono<Map<String, List<VariantRow>>> variantsByTest = variants.map(AbTestStore::variantRow)
			.all()
			.collect(LinkedHashMap::new, (map, row) -> map.computeIfAbsent(row.testId(), id -> new ArrayList<>()).add(row));
		return variantsByTest.flatMap(byTest -> tests.map(row -> testRow(row))
			.all()
			.map(row -> row.toAbTest(byTest.getOrDefault(row.id(), List.of())))
			.collectList());
	}

	private static GenericExecuteSpec bindAll(GenericExecuteSpec spec, Map<String, Object> values) {
		for (Map.Entry<String, Object> value : values.entrySet()) {
			spec = spec.bind(value.getKey(), value.getValue());
		}
		return spec;
	}

	private static VariantRow variantRow(Readable row) {
		String alias = row.get("model_alias", String.class);
		String version = row.get("model_version", String.class);
		return new VariantRow(row.get("ab_test_id", String.class), row.get("name", String.class),
				Boolean.TRUE.equals(row.get("shadow", Boolean.class)), new VersionSelector(alias, version),
				row.get("weight", Double.class));
	}

	private static TestRow testRow(Readable row) {
		Long maxSamples = row.get("max_samples", Long.class);
		Double margin = row.get("max_error_rate_increase", Double.class);
		Long latency = row.get("p99_latency_ms", Long.class);
		List<Guardrail> guardrails = new ArrayList<>();
		if (margin != null) {
			guardrails.add(new ErrorRateGuardrail(margin));
		}
		if (latency != null) {
			guardrails.add(LatencyGuardrail.p99(Duration.ofMillis(latency)));
		}
		DecisionPolicy policy = DecisionPolicy.defaults()
			.withAlpha(row.get("alpha", Double.class))
			.withMinSamplesPerVariant(row.get("min_samples", Long.class))
			.withGuardrails(guardrails.toArray(Guardrail[]::new));
		if (maxSamples != null) {
			policy = policy.withMaxTotalSamples(maxSamples);
		}
		Allocation.Mode mode = Allocation.Mode.valueOf(row.get("allocation", String.class));
		Double share = row.get("uniform_share", Double.class);
		return new TestRow(row.get("id", String.class), row.get("model_name", String.class),
				Reward.valueOf(row.get("reward_kind", String.class)), policy,
				DecisionAction.valueOf(row.get("action", String.class)),
				mode == Allocation.Mode.THOMPSON ? Allocation.thompson(share) : Allocation.FIXED,
				row.get("salt", String.class), AbTestStatus.valueOf(row.get("status", String.class)),
				row.get("status_reason", String.class), Instant.ofEpochMilli(row.get("created_at", Long.class)),
				Instant.ofEpochMilli(row.get("updated_at", Long.class)));
	}

	private record VariantRow(String testId, String name, boolean shadow, VersionSelector target, Double weight) {
	}

	private record TestRow(String id, String model, Reward reward, DecisionPolicy policy, DecisionAction action,
			Allocation allocation, String salt, AbTestStatus status, String statusReason, Instant createdAt,
			Instant updatedAt) {

		AbTest toAbTest(List<VariantRow> rows) {
			List<Variant> variants = rows.stream()
				.filter(row -> !row.shadow())
				.map(row -> new Variant(row.name(), row.target(), row.weight()))
				.toList();
			List<ShadowVariant> shadows = rows.stream()
				.filter(VariantRow::shadow)
				.map(row -> new ShadowVariant(row.name(), row.target()))
				.toList();
			return new AbTest(id, new AbTestDefinition(model, variants, shadows, reward, policy, action, allocation),
					salt, status, statusReason, createdAt, updatedAt);
		}

	}

}
