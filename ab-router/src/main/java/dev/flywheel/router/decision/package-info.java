/**
 * The statistics of A/B decisions, in plain Java so that they can be tested and simulated without a server: running
 * reward totals per variant, the normal-mixture always-valid confidence sequence on the difference of means, the
 * sample ratio mismatch check, guardrails as one-sided sequential tests, the evaluator that turns them into a
 * decision with its evidence, and Thompson-sampling allocation. The formulas and defaults are those of
 * {@code shared/reference/statistics.md} section 2; the module README's "Decisions" section summarises them.
 */
package dev.flywheel.router.decision;
