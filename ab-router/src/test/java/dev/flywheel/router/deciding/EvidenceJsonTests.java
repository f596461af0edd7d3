package dev.flywheel.router.deciding;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.router.decision.AlwaysValidInterval;
import dev.flywheel.router.decision.Comparison;
import dev.flywheel.router.decision.Comparison.Verdict;
import dev.flywheel.router.decision.Decision;
import dev.flywheel.router.decision.DecisionEvaluator;
import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.ErrorRateGuardrail;
import dev.flywheel.router.decision.GuardrailCheck;
import dev.flywheel.router.decision.RequestCounts;
import dev.flywheel.router.decision.RewardStats;
import dev.flywheel.router.decision.VariantStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/** Decisions made by the real evaluator on looks like {@code DecisionEvaluatorTests}'s. */
class EvidenceJsonTests {

	private final DecisionEvaluator evaluator = new DecisionEvaluator(DecisionPolicy.defaults());

	private static VariantStats rates(String name, long count, long successes) {
		return new VariantStats(name, 1, count, RewardStats.ofBinary(count, successes),
				new RequestCounts(count, 3, 1));
	}

	private static VariantCounts counts(VariantStats stats, String servedVersion, long feedback) {
		// requests counted 1.5 times the units: a unit asks more than once
		return new VariantCounts(stats.variant(), false, stats.assignments() * 3 / 2, stats.assignments() * 3 / 2,
				stats.assignments(), stats.assignments(), stats.rewards(), stats.requests(), 0, 0, feedback,
				servedVersion);
	}

	private static VariantCounts shadow(String name, long compared, long agreed) {
		return new VariantCounts(name, true, 0, 0, 0, 0, RewardStats.EMPTY, new RequestCounts(900, 2, 0), compared, agreed,
				0, "7");
	}

	@Test
	void aWinnerShowsTheOutcomeVariantsSampleRatioAndComparisons() {
		VariantStats champion = rates("champion", 5000, 4000);
		VariantStats challenger = rates("challenger", 5000, 4150);
		Decision decision = evaluator.evaluate(List.of(champion, challenger));

		Map<String, Object> json = EvidenceJson.of(decision,
				List.of(counts(champion, "3", 5100), counts(challenger, "4", 5200)));

		assertThat(json).containsKeys("outcome", "winner", "losers", "variants", "sample_ratio", "alpha_per_comparison",
				"comparisons")
			.doesNotContainKey("shadows");
		assertThat(json).containsEntry("outcome", "winner")
			.containsEntry("winner", "challenger")
			.containsEntry("losers", List.of())
			.containsEntry("alpha_per_comparison", 0.05);
		assertThat(json.get("variants")).asInstanceOf(LIST).hasSize(2).last().asInstanceOf(MAP)
			.containsEntry("name", "challenger")
			.containsEntry("model_version", "4")
			.containsEntry("assignments", 7500L)
			.containsEntry("units", 5000L)
			.containsEntry("sample_ratio_count", 5000L)
			.containsEntry("rewards", 5000L)
			.containsEntry("reward_mean", 0.83)
			.containsEntry("feedback", 5200L)
			.containsEntry("requests", 5000L)
			.containsEntry("errors", 3L)
			.containsEntry("slow_requests", 1L);
		assertThat(json.get("sample_ratio")).asInstanceOf(MAP)
			.containsEntry("p_value", 1.0)
			.containsEntry("mismatch", false)
			.containsKeys("threshold", "log_bayes_factor", "chi_squared", "chi_squared_p_value");
		AlwaysValidInterval lift = decision.evidence().comparison("challenger").orElseThrow().lift();
		assertThat(json.get("comparisons")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
			.containsEntry("control", "champion")
			.containsEntry("challenger", "challenger")
			.containsEntry("estimate", lift.estimate())
			.containsEntry("lower", lift.lower())
			.containsEntry("upper", lift.upper())
			.containsEntry("p_value", lift.pValue())
			.containsEntry("verdict", "better")
			.containsEntry("guardrails", List.of());
	}

	@Test
	void noWinnerIsLeftOutAndLosersAreNamed() {
		Decision decision = evaluator.evaluate(List.of(rates("champion", 5000, 4150), rates("challenger", 5000, 4000)));

		Map<String, Object> json = EvidenceJson.of(decision, List.of());

		assertThat(json).doesNotContainKey("winner")
			.containsEntry("outcome", "no_better")
			.containsEntry("losers", List.of("challenger"));
		assertThat(json.get("comparisons")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
			.containsEntry("verdict", "worse");
		// without counts a variant's served version and feedback are unknown
		assertThat(json.get("variants")).asInstanceOf(LIST).first().asInstanceOf(MAP)
			.containsEntry("model_version", null)
			.containsEntry("feedback", null);
	}

	@Test
	void aBreachedGuardrailIsShownInItsComparison() {
		DecisionEvaluator guarded = new DecisionEvaluator(
				DecisionPolicy.defaults().withGuardrails(new ErrorRateGuardrail(0.001)));
		Decision decision = guarded.evaluate(List.of(
				new VariantStats("champion", 1, 10_000, RewardStats.ofBinary(5000, 4000), new RequestCounts(10_000, 100, 0)),
				new VariantStats("challenger", 1, 10_000, RewardStats.ofBinary(5000, 4150),
						new RequestCounts(10_000, 300, 0))));

		Map<String, Object> json = EvidenceJson.of(decision, List.of());

		assertThat(json.get("comparisons")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
			.containsEntry("verdict", "guardrail_breached")
			.extractingByKey("guardrails")
			.asInstanceOf(LIST)
			.singleElement()
			.asInstanceOf(MAP)
			.containsEntry("breached", true)
			.containsEntry("limit", 0.001)
			.containsKeys("guardrail", "value", "lower", "upper");
	}

	@Test
	void shadowsAreShownOnlyWhenTheTestHasOne() {
		VariantStats champion = rates("champion", 5000, 4000);
		VariantStats challenger = rates("challenger", 5000, 4150);
		Decision decision = evaluator.evaluate(List.of(champion, challenger));

		Map<String, Object> json = EvidenceJson.of(decision, List.of(counts(champion, "3", 0),
				counts(challenger, "4", 0), shadow("candidate", 800, 600), shadow("fresh", 0, 0)));

		assertThat(json.get("shadows")).asInstanceOf(LIST).hasSize(2).satisfiesExactly(
				first -> assertThat(first).asInstanceOf(MAP)
					.containsEntry("name", "candidate")
					.containsEntry("model_version", "7")
					.containsEntry("requests", 900L)
					.containsEntry("errors", 2L)
					.containsEntry("compared_rows", 800L)
					.containsEntry("agreement", 0.75),
				second -> assertThat(second).asInstanceOf(MAP).containsEntry("agreement", null));
		assertThat(json.get("variants")).asInstanceOf(LIST).hasSize(2);
	}

	@Test
	void infiniteIntervalEndsBecomeNullSoTheJsonIsValid() {
		Comparison unbounded = new Comparison("champion", "challenger",
				new AlwaysValidInterval(0.1, 0.05, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1),
				List.of(new GuardrailCheck("error_rate", "challenger", 0.01, Double.NEGATIVE_INFINITY, 0.02, 0.001,
						false)),
				Verdict.UNDECIDED);

		Map<String, Object> json = EvidenceJson.comparison(unbounded);

		assertThat(json).containsEntry("lower", null).containsEntry("upper", null).containsEntry("estimate", 0.1);
		assertThat(json.get("guardrails")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
			.containsEntry("lower", null)
			.containsEntry("upper", 0.02);
		assertThat(JsonMapper.builder().build().writeValueAsString(json)).contains("\"lower\":null", "\"upper\":null")
			.doesNotContain("Infinity");
	}

}
