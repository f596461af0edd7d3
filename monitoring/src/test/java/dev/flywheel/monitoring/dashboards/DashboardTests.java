package dev.flywheel.monitoring.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard {@code dashboards/flywheel.json}: it parses, its panels are well formed, its rows and template
 * variables exist, and every metric its queries name is one the services export, so that renaming a metric without
 * updating the dashboard fails the build.
 */
class DashboardTests {

	private static final Path DASHBOARD = Path.of("dashboards/flywheel.json");

	/** Counters (read with their {@code _total} suffix) and gauges, by their Prometheus names. */
	private static final Set<String> PLAIN_METRICS = Set.of(
			// inference service
			"inference_requests_total", "inference_prediction_log_sent_total",
			"inference_prediction_log_dropped_total", "inference_model_load_failures_total",
			"inference_loaded_versions",
			// router
			"flywheel_router_requests_total", "flywheel_router_assignments_total", "flywheel_router_reward_mean",
			"flywheel_router_rewards", "flywheel_router_feedback_events", "flywheel_router_lift",
			"flywheel_router_lift_lower", "flywheel_router_lift_upper", "flywheel_router_lift_p_value",
			"flywheel_router_srm_p_value", "flywheel_router_guardrail_value", "flywheel_router_decisions_total",
			"flywheel_router_shadow_agreement", "flywheel_router_feedback_total",
			"flywheel_router_feedback_forwarded_total", "flywheel_router_feedback_forward_dropped_total",
			"flywheel_router_predictions_unrecorded_total",
			// monitoring: drift, quality, ingestion
			"flywheel_monitoring_drift_alarm", "flywheel_monitoring_dataset_drift_share",
			"flywheel_monitoring_prediction_drift_psi", "flywheel_monitoring_feature_drift",
			"flywheel_monitoring_quality_accuracy", "flywheel_monitoring_quality_macro_f1",
			"flywheel_monitoring_quality_log_loss", "flywheel_monitoring_quality_expected_calibration_error",
			"flywheel_monitoring_label_coverage", "flywheel_monitoring_label_delay_seconds",
			"flywheel_monitoring_quality_dropped", "flywheel_monitoring_ingested_rows_total",
			"flywheel_monitoring_duplicate_rows_total", "flywheel_monitoring_ingest_dropped_rows_total",
			"flywheel_monitoring_ingest_rows_in_flight",
			// monitoring: retraining
			"flywheel_monitoring_retraining_triggers_total", "flywheel_monitoring_retraining_jobs_total");

	/** Micrometer timers published with a percentile histogram: read through these suffixes only. */
	private static final Set<String> HISTOGRAMS = Set.of("inference_request_duration_seconds",
			"inference_queue_duration_seconds", "inference_compute_duration_seconds");

	/** Micrometer timers without buckets. */
	private static final Set<String> TIMERS = Set.of("flywheel_router_request_duration_seconds");

	private static final Pattern METRIC = Pattern.compile("(?<![A-Za-z0-9_:])(?:inference|flywheel)_[a-z0-9_]+");

	private static Set<String> knownMetrics;

	private static JsonNode dashboard;

	@BeforeAll
	static void read() throws Exception {
		dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		knownMetrics = new HashSet<>(PLAIN_METRICS);
		HISTOGRAMS.forEach(name -> List.of("_bucket", "_count", "_sum", "_max").forEach(s -> knownMetrics.add(name + s)));
		TIMERS.forEach(name -> List.of("_count", "_sum", "_max").forEach(s -> knownMetrics.add(name + s)));
	}

	@Test
	void identifiesTheDashboard() {
		assertThat(dashboard.isObject()).isTrue();
		assertThat(dashboard.path("uid").asString()).isEqualTo("flywheel");
		assertThat(dashboard.path("title").asString()).isEqualTo("Flywheel");
		assertThat(dashboard.path("schemaVersion").isInt()).isTrue();
		assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
	}

	@Test
	void everyPanelHasAUniqueIdATitleATypeAndAPlace() {
		List<JsonNode> panels = panels();
		assertThat(panels).isNotEmpty();
		Set<Integer> ids = new HashSet<>();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString("");
			assertThat(panel.path("id").isInt()).as("id of panel %s", title).isTrue();
			assertThat(ids.add(panel.path("id").asInt())).as("id %s of panel %s is unique", panel.path("id"), title)
				.isTrue();
			assertThat(title).as("title of panel %s", panel.path("id")).isNotBlank();
			assertThat(panel.path("type").asString("")).as("type of panel %s", title).isNotBlank();
			JsonNode grid = panel.path("gridPos");
			for (String field : List.of("h", "w", "x", "y")) {
				assertThat(grid.path(field).isInt()).as("gridPos.%s of panel %s", field, title).isTrue();
			}
			assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("width of panel %s", title)
				.isLessThanOrEqualTo(24);
			if (!panel.path("type").asString().equals("row")) {
				assertThat(panel.path("description").asString("")).as("description of panel %s", title)
					.isNotBlank();
				assertThat(panel.path("targets").isArray() && !panel.path("targets").isEmpty())
					.as("targets of panel %s", title).isTrue();
			}
		}
	}

	@Test
	void everyQueryIsPlausibleAndNamesOnlyKnownMetrics() {
		List<String> expressions = expressions();
		assertThat(expressions).isNotEmpty();
		Set<String> used = new TreeSet<>();
		for (String expression : expressions) {
			assertThat(expression).isNotBlank();
			assertThat(balanced(expression)).as("brackets balanced in %s", expression).isTrue();
			Matcher metric = METRIC.matcher(expression);
			boolean any = false;
			while (metric.find()) {
				any = true;
				used.add(metric.group());
				assertThat(knownMetrics).as("metric %s in %s", metric.group(), expression).contains(metric.group());
			}
			assertThat(any).as("a Flywheel metric in %s", expression).isTrue();
		}
		for (String histogram : HISTOGRAMS) {
			assertThat(used).as("histogram %s read through its buckets", histogram).contains(histogram + "_bucket");
		}
	}

	@Test
	void countersAreReadThroughRatesOrIncreases() {
		for (String expression : panelExpressions()) {
			Matcher metric = METRIC.matcher(expression);
			while (metric.find()) {
				String name = metric.group();
				if (name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count")
						|| name.endsWith("_sum")) {
					String before = expression.substring(0, metric.start());
					assertThat(before).as("%s in %s inside rate() or increase()", name, expression)
						.containsAnyOf("rate(", "increase(");
				}
			}
		}
	}

	@Test
	void hasTheFourRows() {
		List<String> rows = panels().stream()
			.filter(panel -> panel.path("type").asString().equals("row"))
			.map(panel -> panel.path("title").asString().toLowerCase(Locale.ROOT))
			.toList();
		assertThat(rows).anyMatch(title -> title.contains("serving"))
			.anyMatch(title -> title.contains("a/b test"))
			.anyMatch(title -> title.contains("drift") && title.contains("quality"))
			.anyMatch(title -> title.contains("retraining"));
	}

	@Test
	void hasTheTemplateVariables() {
		Map<String, JsonNode> variables = new java.util.HashMap<>();
		dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asString(), v));
		assertThat(variables).containsKeys("datasource", "model", "version", "ab_test");
		assertThat(variables.get("datasource").path("type").asString()).isEqualTo("datasource");
		assertThat(variables.get("datasource").path("query").asString()).isEqualTo("prometheus");
		assertThat(variableQuery(variables.get("model"))).isEqualTo("label_values(inference_requests_total, model)");
		for (String name : List.of("model", "version", "ab_test")) {
			assertThat(variables.get(name).path("type").asString()).isEqualTo("query");
			assertThat(variables.get(name).path("datasource").path("uid").asString()).isEqualTo("${datasource}");
		}
		for (JsonNode panel : panels()) {
			if (!panel.path("type").asString().equals("row")) {
				assertThat(panel.path("datasource").path("uid").asString()).as("data source of %s",
						panel.path("title").asString()).isEqualTo("${datasource}");
			}
		}
	}

	/** Every panel, those inside collapsed rows included. */
	private static List<JsonNode> panels() {
		List<JsonNode> all = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			all.add(panel);
			panel.path("panels").forEach(all::add);
		}
		return all;
	}

	private static List<String> panelExpressions() {
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString(""));
			}
		}
		return expressions;
	}

	/** The panels' queries and the query variables' queries. */
	private static List<String> expressions() {
		List<String> expressions = new ArrayList<>(panelExpressions());
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if (variable.path("type").asString().equals("query")) {
				expressions.add(variableQuery(variable));
			}
		}
		return expressions;
	}

	private static String variableQuery(JsonNode variable) {
		JsonNode query = variable.path("query");
		return query.isString() ? query.asString() : query.path("query").asString("");
	}

	/** Parentheses, brackets and braces nest and close, outside string literals. */
	static boolean balanced(String expression) {
		Deque<Character> open = new ArrayDeque<>();
		char quote = 0;
		for (int i = 0; i < expression.length(); i++) {
			char c = expression.charAt(i);
			if (quote != 0) {
				if (c == '\\') {
					i++;
				}
				else if (c == quote) {
					quote = 0;
				}
				continue;
			}
			switch (c) {
				case '"', '\'', '`' -> quote = c;
				case '(', '[', '{' -> open.push(c);
				case ')' -> {
					if (open.isEmpty() || open.pop() != '(') {
						return false;
					}
				}
				case ']' -> {
					if (open.isEmpty() || open.pop() != '[') {
						return false;
					}
				}
				case '}' -> {
					if (open.isEmpty() || open.pop() != '{') {
						return false;
					}
				}
				default -> {
				}
			}
		}
		return open.isEmpty() && quote == 0;
	}

	@Test
	void balanceCheckCatchesBrokenExpressions() {
		assertThat(balanced("sum by (le) (rate(x_bucket{a=\"(\"}[5m]))")).isTrue();
		assertThat(balanced("sum(rate(x[5m])")).isFalse();
		assertThat(balanced("rate(x{a=\"b\"}[5m)]")).isFalse();
		assertThat(balanced("x{a=\"b}")).isFalse();
	}

}
