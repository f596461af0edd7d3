package dev.flywheel.router.decision;

/**
 * One guardrail's test of one challenger at one look.
 *
 * @param guardrail the guardrail's name ({@code error_rate}, {@code latency})
 * @param variant the challenger tested
 * @param value the measured value: the error-rate difference to the control, or the share of requests over the
 * latency bound
 * @param lower the lower end of its always-valid interval
 * @param upper the upper end of its always-valid interval
 * @param limit the value it may not exceed
 * @param breached whether the interval lies wholly above the limit: harm shown at the guardrail's α
 */
public record GuardrailCheck(String guardrail, String variant, double value, double lower, double upper, double limit,
		boolean breached) {

}
