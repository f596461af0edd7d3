package dev.flywheel.monitoring.quality;

/**
 * The sums behind a regressor's live quality over one time bucket or a window of them: {@link #merge} adds another
 * bucket's sums. Not thread-safe. {@link RegressionQuality} gives the metrics.
 */
public final class RegressionCounts {

	private long rows;

	private double absoluteErrorSum;

	private double squaredErrorSum;

	private double errorSum;

	/** Counts one labelled prediction. */
	public RegressionCounts add(LabelledValue value) {
		double error = value.predictedValue() - value.trueValue();
		this.rows++;
		this.absoluteErrorSum += Math.abs(error);
		this.squaredErrorSum += error * error;
		this.errorSum += error;
		return this;
	}

	/** Counts every labelled prediction of {@code values}. */
	public RegressionCounts addAll(Iterable<LabelledValue> values) {
		values.forEach(this::add);
		return this;
	}

	/** Adds {@code other}'s sums to these. */
	public RegressionCounts merge(RegressionCounts other) {
		this.rows += other.rows;
		this.absoluteErrorSum += other.absoluteErrorSum;
		this.squaredErrorSum += other.squaredErrorSum;
		this.errorSum += other.errorSum;
		return this;
	}

	/** The rows counted. */
	public long rows() {
		return this.rows;
	}

	/** The quality of the rows counted so far. */
	public RegressionQuality quality() {
		if (this.rows == 0) {
			return new RegressionQuality(0, Double.NaN, Double.NaN, Double.NaN);
		}
		return new RegressionQuality(this.rows, this.absoluteErrorSum / this.rows,
				Math.sqrt(this.squaredErrorSum / this.rows), this.errorSum / this.rows);
	}

}
