package dev.flywheel.router.deciding;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.decision.Comparison;
import dev.flywheel.router.decision.Decision;
import dev.flywheel.router.decision.GuardrailCheck;
import dev.flywheel.router.decision.VariantStats;

/**
 * The latest look at each test as gauges, tagged with model, A/B test and variant:
 * {@code flywheel_router_feedback_events} and {@code flywheel_router_rewards} (matured rewards), {@code
 * flywheel_router_reward_mean}, {@code flywheel_router_lift}, {@code flywheel_router_lift_lower} and {@code _upper}
 * (the always-valid interval), {@code flywheel_router_lift_p_value}, {@code flywheel_router_guardrail_value{guardrail}}
 * and, per test, {@code flywheel_router_srm_p_value}; decisions count in {@code flywheel_router_decisions_total{outcome}}.
 * A gauge reads NaN until its value exists.
 */
@Component
class LookMetrics {

	private final MeterRegistry meters;

	private final Map<String, Look> looks = new ConcurrentHashMap<>();

	LookMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	private record Look(Decision decision, List<VariantCounts> counts) {
	}

	void looked(AbTest test, Decision decision, List<VariantCounts> counts) {
		boolean first = looks.put(test.id(), new Look(decision, counts)) == null;
		if (!first) {
			return;
		}
		String id = test.id();
		Tags testTags = Tags.of("model", test.model(), "ab_test", id);
		gauge("flywheel_router_srm_p_value", "Always-valid p-value of the sample ratio mismatch check", testTags,
				look -> look.decision().evidence().sampleRatio().pValue(), id);
		for (VariantCounts variant : counts) {
			Tags tags = testTags.and("variant", variant.name());
			String name = variant.name();
			gauge("flywheel_router_feedback_events", "Feedback events received", tags,
					look -> count(look, name).map(c -> (double) c.feedback()).orElse(Double.NaN), id);
			if (variant.shadow()) {
				gauge("flywheel_router_shadow_agreement", "Share of a shadow's rows that agreed with the answer", tags,
						look -> count(look, name).filter(c -> c.comparedRows() > 0)
							.map(c -> (double) c.agreedRows() / c.comparedRows())
							.orElse(Double.NaN), id);
				continue;
			}
			gauge("flywheel_router_rewards", "Rewards counted for the decision", tags,
					look -> stats(look, name).map(s -> (double) s.rewards().count()).orElse(Double.NaN), id);
			gauge("flywheel_router_reward_mean", "Mean reward", tags,
					look -> stats(look, name).filter(s -> s.rewards().count() > 0).map(s -> s.rewards().mean())
						.orElse(Double.NaN), id);
			gauge("flywheel_router_lift", "Estimated reward difference against the control", tags,
					look -> comparison(look, name).map(c -> c.lift().estimate()).orElse(Double.NaN), id);
			gauge("flywheel_router_lift_lower", "Lower end of the always-valid interval on the lift", tags,
					look -> comparison(look, name).map(c -> c.lift().lower()).orElse(Double.NaN), id);
			gauge("flywheel_router_lift_upper", "Upper end of the always-valid interval on the lift", tags,
					look -> comparison(look, name).map(c -> c.lift().upper()).orElse(Double.NaN), id);
			gauge("flywheel_router_lift_p_value", "Always-valid p-value of the lift", tags,
					look -> comparison(look, name).map(c -> c.lift().pValue()).orElse(Double.NaN), id);
			for (var guardrail : test.definition().policy().guardrails()) {
				gauge("flywheel_router_guardrail_value", "The guardrail's measured difference against the control",
						tags.and("guardrail", guardrail.name()),
						look -> comparison(look, name).flatMap(c -> c.guardrails().stream()
							.filter(g -> g.guardrail().equals(guardrail.name())).findFirst())
							.map(GuardrailCheck::value)
							.orElse(Double.NaN), id);
			}
		}
	}

	void decided(AbTest test, Decision decision) {
		Counter.builder("flywheel_router_decisions")
			.description("A/B test decisions, by outcome")
			.tags("model", test.model(), "ab_test", test.id(), "outcome", EvidenceJson.name(decision.outcome()))
			.register(meters)
			.increment();
	}

	Decision latest(String testId) {
		Look look = looks.get(testId);
		return look == null ? null : look.decision();
	}

	private void gauge(String name, String description, Tags tags, ToDoubleFunction<Look> value, String testId) {
		Gauge.builder(name, looks, all -> {
			Look look = all.get(testId);
			return look == null ? Double.NaN : value.applyAsDouble(look);
		}).description(description).tags(tags).register(meters);
	}

	private static java.util.Optional<VariantCounts> count(Look look, String name) {
		return look.counts().stream().filter(c -> c.name().equals(name)).findFirst();
	}

	private static java.util.Optional<VariantStats> stats(Look look, String name) {
		return look.decision().evidence().variant(name);
	}

	private static java.util.Optional<Comparison> comparison(Look look, String name) {
		return look.decision().evidence().comparison(name);
	}

}
