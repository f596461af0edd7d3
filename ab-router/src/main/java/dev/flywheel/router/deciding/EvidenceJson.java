package dev.flywheel.router.deciding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.flywheel.router.decision.Comparison;
import dev.flywheel.router.decision.Decision;
import dev.flywheel.router.decision.Evidence;
import dev.flywheel.router.decision.GuardrailCheck;
import dev.flywheel.router.decision.SampleRatioMismatch;
import dev.flywheel.router.decision.VariantStats;

/**
 * A look's decision and evidence as JSON (snake_case maps): what the API shows, what is stored with a decision, and,
 * per variant, what is written to its model version as tags.
 */
final class EvidenceJson {

	private EvidenceJson() {
	}

	static Map<String, Object> of(Decision decision, List<VariantCounts> counts) {
		Evidence evidence = decision.evidence();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("outcome", name(decision.outcome()));
		if (decision.winner() != null) {
			json.put("winner", decision.winner());
		}
		json.put("losers", decision.losers());
		List<Map<String, Object>> variants = new ArrayList<>();
		for (VariantStats variant : evidence.variants()) {
			VariantCounts count = counts.stream().filter(c -> c.name().equals(variant.variant())).findFirst().orElse(null);
			variants.add(variant(variant, count));
		}
		json.put("variants", variants);
		List<Map<String, Object>> shadows = new ArrayList<>();
		for (VariantCounts count : counts) {
			if (count.shadow()) {
				Map<String, Object> shadow = new LinkedHashMap<>();
				shadow.put("name", count.name());
				shadow.put("model_version", count.servedVersion());
				shadow.put("requests", count.requests().requests());
				shadow.put("errors", count.requests().errors());
				shadow.put("compared_rows", count.comparedRows());
				shadow.put("agreement", count.comparedRows() == 0 ? null
						: (double) count.agreedRows() / count.comparedRows());
				shadows.add(shadow);
			}
		}
		if (!shadows.isEmpty()) {
			json.put("shadows", shadows);
		}
		json.put("sample_ratio", sampleRatio(evidence.sampleRatio()));
		json.put("alpha_per_comparison", evidence.alphaPerComparison());
		json.put("comparisons", evidence.comparisons().stream().map(EvidenceJson::comparison).toList());
		return json;
	}

	private static Map<String, Object> variant(VariantStats variant, VariantCounts count) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", variant.variant());
		json.put("model_version", count == null ? null : count.servedVersion());
		json.put("weight", variant.weight());
		json.put("assignments", count == null ? null : count.assignments());
		json.put("units", count == null ? null : count.units());
		json.put("sample_ratio_count", variant.assignments());
		json.put("rewards", variant.rewards().count());
		json.put("reward_mean", variant.rewards().count() == 0 ? null : variant.rewards().mean());
		json.put("feedback", count == null ? null : count.feedback());
		json.put("requests", variant.requests().requests());
		json.put("errors", variant.requests().errors());
		json.put("slow_requests", variant.requests().overLatencyBound());
		return json;
	}

	private static Map<String, Object> sampleRatio(SampleRatioMismatch check) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("p_value", check.pValue());
		json.put("mismatch", check.isMismatch());
		json.put("threshold", check.threshold());
		json.put("log_bayes_factor", check.logBayesFactor());
		json.put("chi_squared", check.chiSquared());
		json.put("chi_squared_p_value", check.chiSquaredPValue());
		return json;
	}

	static Map<String, Object> comparison(Comparison comparison) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("control", comparison.control());
		json.put("challenger", comparison.challenger());
		json.put("estimate", comparison.lift().estimate());
		json.put("lower", finite(comparison.lift().lower()));
		json.put("upper", finite(comparison.lift().upper()));
		json.put("p_value", comparison.lift().pValue());
		json.put("verdict", name(comparison.verdict()));
		List<Map<String, Object>> guardrails = new ArrayList<>();
		for (GuardrailCheck check : comparison.guardrails()) {
			Map<String, Object> guardrail = new LinkedHashMap<>();
			guardrail.put("guardrail", check.guardrail());
			guardrail.put("value", check.value());
			guardrail.put("lower", finite(check.lower()));
			guardrail.put("upper", finite(check.upper()));
			guardrail.put("limit", check.limit());
			guardrail.put("breached", check.breached());
			guardrails.add(guardrail);
		}
		json.put("guardrails", guardrails);
		return json;
	}

	/** JSON has no infinities: an unbounded end is left null. */
	private static Double finite(double value) {
		return Double.isFinite(value) ? value : null;
	}

	static String name(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
