/**
 * Live quality of a model version from its matured feedback, in plain Java so that it can be tested without a server:
 * the predictions of a window that already have their true label (or value), their classification metrics (accuracy,
 * macro F1, log loss, expected calibration error, per-class support and the confusion matrix) or regression metrics
 * (MAE, RMSE, mean error), the share of the window's predictions that are labelled and how late the labels came, and
 * the thresholds that judge whether quality dropped against the held-out accuracy of the version's bundle.
 * <p>
 * Every accumulator ({@link ClassificationCounts}, {@link RegressionCounts}, {@link LabelDelays}) merges by
 * addition, so a window is the sum of its time buckets, like the drift package's live counts. Nothing here throws on
 * an empty window: its metrics are {@code NaN} and its row counts 0.
 */
package dev.flywheel.monitoring.quality;
