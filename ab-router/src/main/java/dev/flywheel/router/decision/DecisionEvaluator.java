package dev.flywheel.router.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.flywheel.router.decision.Comparison.Verdict;
import dev.flywheel.router.decision.Decision.Outcome;

/**
 * Turns one look at an A/B test into a {@link Decision}, following {@code statistics.md} §2.2 and §5.3 in this order:
 * <ol>
 * <li><b>SRM.</b> The assignment counts are tested against the weights at every look, before anything else, by the
 * always-valid {@link SampleRatioMismatch} test (a Dirichlet-multinomial Bayes factor); its p-value below the
 * threshold ends the test as {@link Outcome#INVALID_SRM}, whatever the samples.</li>
 * <li><b>Comparisons.</b> Each challenger is compared with the control (the first variant) by the
 * {@link MixtureConfidenceSequence} at α divided by the number of challengers (Bonferroni), and checked against
 * every guardrail at that same α.</li>
 * <li><b>Floor.</b> Until every variant has {@code minSamplesPerVariant} matured rewards the outcome is
 * {@link Outcome#CONTINUE} and every verdict undecided.</li>
 * <li><b>Verdicts.</b> A challenger is {@code BETTER} when its interval lies wholly above the minimum lift δ_min and no
 * guardrail is breached; {@code WORSE} when the interval lies wholly below {@code min(0, δ_min)} (§2.2's "reject when
 * upper(CS) &lt; 0", moved down to the margin for a non-inferiority test); {@code GUARDRAIL_BREACHED} when a guardrail
 * is.</li>
 * <li><b>Outcome.</b> {@link Outcome#WINNER} for the better challenger with the highest lower bound;
 * {@link Outcome#NO_BETTER} when every challenger lost; {@link Outcome#INCONCLUSIVE} once the matured rewards of all
 * variants reach the maximum; otherwise {@link Outcome#CONTINUE}.</li>
 * </ol>
 * The evaluator keeps no state: pass the previous look's decision to narrow each interval by the earlier ones
 * (running intersection, running minimum p-value, §2.2). Only looks past the sample floor are intersected, so that the
 * rough intervals of the first few samples cannot pin the sequence. The SRM p-value is kept at its running minimum
 * from the first look (it is exact at any count); without the previous decision each look reports its own
 * {@code 1/BF}, and the outcomes are the same.
 */
public final class DecisionEvaluator {

	private final DecisionPolicy policy;

	public DecisionEvaluator(DecisionPolicy policy) {
		this.policy = Objects.requireNonNull(policy, "policy");
	}

	public DecisionPolicy policy() {
		return policy;
	}

	/** Evaluates a look on its own, without narrowing by earlier looks. */
	public Decision evaluate(List<VariantStats> variants) {
		return evaluate(variants, null);
	}

	/**
	 * Evaluates a look.
	 *
	 * @param variants the variants, the control first, then the challengers
	 * @param previous the decision of this test's previous look under the same policy, or null
	 * @throws IllegalArgumentException for fewer than two variants or a name used twice
	 */
	public Decision evaluate(List<VariantStats> variants, Decision previous) {
		requireDistinctVariants(variants);
		VariantStats control = variants.get(0);
		List<VariantStats> challengers = variants.subList(1, variants.size());
		double alphaPerComparison = policy.alphaPerComparison(challengers.size());
		MixtureConfidenceSequence sequence = new MixtureConfidenceSequence(alphaPerComparison,
				policy.mixingSampleSize());

		SampleRatioMismatch sampleRatio = SampleRatioMismatch.check(
				variants.stream().map(VariantStats::assignments).toList(),
				variants.stream().map(VariantStats::weight).toList(), policy.srmConcentration(),
				policy.srmThreshold(), previous == null ? null : previous.evidence().sampleRatio());
		boolean floorReached = reachesFloor(variants);
		boolean narrow = floorReached && previous != null && reachesFloor(previous.evidence().variants());

		List<Comparison> comparisons = new ArrayList<>();
		for (VariantStats challenger : challengers) {
			if (control.rewards().count() < 2 || challenger.rewards().count() < 2) {
				continue;
			}
			AlwaysValidInterval lift = sequence.difference(control.rewards(), challenger.rewards());
			if (narrow) {
				Optional<Comparison> earlier = previous.evidence().comparison(challenger.variant());
				if (earlier.isPresent()) {
					lift = lift.narrowedBy(earlier.get().lift());
				}
			}
			List<GuardrailCheck> checks = new ArrayList<>();
			for (Guardrail guardrail : policy.guardrails()) {
				guardrail.check(control, challenger, sequence).ifPresent(checks::add);
			}
			Verdict verdict = floorReached ? verdict(lift, checks) : Verdict.UNDECIDED;
			comparisons.add(new Comparison(control.variant(), challenger.variant(), lift, checks, verdict));
		}
		Evidence evidence = new Evidence(variants, sampleRatio, alphaPerComparison, comparisons);

		if (sampleRatio.isMismatch()) {
			return new Decision(Outcome.INVALID_SRM, null, List.of(), evidence);
		}
		if (!floorReached) {
			return new Decision(Outcome.CONTINUE, null, List.of(), evidence);
		}
		List<String> losers = comparisons.stream().filter(Comparison::isLoss).map(Comparison::challenger).toList();
		Optional<Comparison> best = comparisons.stream()
			.filter(c -> c.verdict() == Verdict.BETTER)
			.max(Comparator.comparingDouble(c -> c.lift().lower()));
		if (best.isPresent()) {
			return new Decision(Outcome.WINNER, best.get().challenger(), losers, evidence);
		}
		if (losers.size() == challengers.size()) {
			return new Decision(Outcome.NO_BETTER, null, losers, evidence);
		}
		if (policy.maxTotalSamples().isPresent() && evidence.totalSamples() >= policy.maxTotalSamples().getAsLong()) {
			return new Decision(Outcome.INCONCLUSIVE, null, losers, evidence);
		}
		return new Decision(Outcome.CONTINUE, null, losers, evidence);
	}

	private Verdict verdict(AlwaysValidInterval lift, List<GuardrailCheck> checks) {
		if (checks.stream().anyMatch(GuardrailCheck::breached)) {
			return Verdict.GUARDRAIL_BREACHED;
		}
		if (lift.isAbove(policy.minimumLift())) {
			return Verdict.BETTER;
		}
		if (lift.isBelow(Math.min(0, policy.minimumLift()))) {
			return Verdict.WORSE;
		}
		return Verdict.UNDECIDED;
	}

	private boolean reachesFloor(List<VariantStats> variants) {
		return variants.stream().allMatch(v -> v.rewards().count() >= policy.minSamplesPerVariant());
	}

	private static void requireDistinctVariants(List<VariantStats> variants) {
		if (variants.size() < 2) {
			throw new IllegalArgumentException("An A/B test compares at least two variants, got " + variants.size());
		}
		Set<String> names = new HashSet<>();
		for (VariantStats variant : variants) {
			if (!names.add(variant.variant())) {
				throw new IllegalArgumentException("Variant " + variant.variant() + " appears twice");
			}
		}
	}

}
