package dev.flywheel.router.decision;

import java.util.Optional;

/**
 * The challenger's error rate may exceed the control's by at most {@code margin} (an absolute difference of rates:
 * 0.001 is the 0.1 points of {@code statistics.md} §5.3). Each request is a 0/1 error indicator, and the guardrail is
 * breached when the always-valid interval on the difference of error rates, challenger minus control, lies wholly
 * above the margin.
 *
 * @param margin the allowed excess error rate, in [0, 1)
 */
public record ErrorRateGuardrail(double margin) implements Guardrail {

	/** §5.3's "error / timeout rate ≤ champion + 0.1 pp". */
	public static final double DEFAULT_MARGIN = 0.001;

	public ErrorRateGuardrail {
		if (!(margin >= 0 && margin < 1)) {
			throw new IllegalArgumentException("An error-rate margin lies in [0, 1): " + margin);
		}
	}

	@Override
	public String name() {
		return "error_rate";
	}

	@Override
	public Optional<GuardrailCheck> check(VariantStats control, VariantStats challenger,
			MixtureConfidenceSequence sequence) {
		if (control.requests().requests() < 2 || challenger.requests().requests() < 2) {
			return Optional.empty();
		}
		AlwaysValidInterval excess = sequence.difference(control.requests().errorIndicators(),
				challenger.requests().errorIndicators());
		return Optional.of(new GuardrailCheck(name(), challenger.variant(), excess.estimate(), excess.lower(),
				excess.upper(), margin, excess.isAbove(margin)));
	}

}
