package dev.flywheel.monitoring.quality;

/**
 * How late the labels of a window came: the delay of each labelled prediction is
 * {@code receivedAt - predictedAt}, reported in seconds. The percentiles are nearest-rank: with the n delays sorted
 * ascending, the p-th percentile is the one of rank {@code ceil(p/100·n)} (1-based, at least 1), always one of the
 * delays and never interpolated; so the median of an even count is the lower of the two middle delays. A delay is
 * taken as recorded: clock skew between the services can make it negative. Without rows every value is
 * {@code NaN}.
 *
 * @param rows the labelled predictions
 * @param medianSeconds the 50th percentile of the delays
 * @param p90Seconds the 90th percentile of the delays
 * @param maxSeconds the longest delay
 */
public record LabelDelay(long rows, double medianSeconds, double p90Seconds, double maxSeconds) {

}
