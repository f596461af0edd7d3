/**
 * Drift of live traffic against a model version's reference profile, in plain Java so that it can be tested and
 * simulated without a server: live counts of each feature on the reference's bins (mergeable, so a window is the sum
 * of its time buckets), the drift measures of {@code shared/reference/statistics.md} §1.2 on those counts (PSI,
 * Jensen–Shannon distance, chi-squared, binned Kolmogorov–Smirnov, normalized Wasserstein-1), the thresholds that turn
 * them into verdicts, and the detector that judges a window and raises the drift alarm of §5.1.
 */
package dev.flywheel.monitoring.drift;
