package dev.flywheel.router.decision;

import java.util.Optional;

/**
 * A limit a challenger must respect whatever its reward, tested by its own one-sided sequential test so that harm
 * stops the A/B test early ({@code statistics.md} §5.3: error rate at most the champion's plus 0.1 points, p99
 * latency within the SLO). Each is read off a {@link MixtureConfidenceSequence}: a guardrail is breached when the
 * always-valid interval lies wholly above its limit. Using one side of a two-sided sequence at α keeps the chance of
 * a false breach, over all looks, at most α (in fact about α/2).
 */
public sealed interface Guardrail permits ErrorRateGuardrail, LatencyGuardrail {

	/** The guardrail's name in the evidence and the metrics. */
	String name();

	/**
	 * Tests the challenger against its limit, or nothing while there are too few requests (under two) to test.
	 *
	 * @param sequence the confidence sequence at the comparison's α
	 */
	Optional<GuardrailCheck> check(VariantStats control, VariantStats challenger, MixtureConfidenceSequence sequence);

}
