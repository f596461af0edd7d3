package dev.flywheel.monitoring.quality;

/**
 * The thresholds that judge a classifier's live accuracy against a reference, the held-out accuracy of the version's
 * bundle: with n labelled rows and live accuracy a,
 * <ul>
 * <li>{@link QualityVerdict#INSUFFICIENT} if {@code n < minimumRows};</li>
 * <li>{@link QualityVerdict#DROPPED} if {@code a < reference - maxDrop} (strictly);</li>
 * <li>{@link QualityVerdict#OK} otherwise.</li>
 * </ul>
 * <b>The defaults</b> ({@link #DEFAULTS}): <b>200 rows</b>, since the standard error of an accuracy p measured on n
 * rows is {@code sqrt(p(1 - p)/n)}, at most {@code sqrt(0.25/200) ≈ 0.035} (3.5 points, at p = 0.5) from 200 rows
 * on, so a drop of <b>0.05</b> (5 points, the default allowed drop) is about 1.4 standard errors at worst, and about
 * 2.4 at an accuracy of 0.9 (standard error 0.021), more above it. One window's verdict is a signal, not proof; a
 * controller should ask for several consecutive ones.
 *
 * @param minimumRows the labelled rows a window needs for its quality to be judged
 * @param maxDrop the drop of accuracy below the reference that is still fine, in [0, 1]
 */
public record QualityThresholds(long minimumRows, double maxDrop) {

	/** 200 rows and a drop of 0.05, as the class comment explains. */
	public static final QualityThresholds DEFAULTS = new QualityThresholds(200, 0.05);

	public QualityThresholds {
		if (minimumRows < 1) {
			throw new IllegalArgumentException("minimumRows must be positive: " + minimumRows);
		}
		if (!(maxDrop >= 0 && maxDrop <= 1)) {
			throw new IllegalArgumentException("maxDrop must be in [0, 1]: " + maxDrop);
		}
	}

	/** The default thresholds with another allowed drop. */
	public static QualityThresholds withMaxDrop(double maxDrop) {
		return new QualityThresholds(DEFAULTS.minimumRows(), maxDrop);
	}

	/**
	 * Judges {@code quality}'s accuracy against {@code referenceAccuracy} by the rule of the class comment.
	 *
	 * @throws IllegalArgumentException if the reference accuracy is not in [0, 1]
	 */
	public QualityVerdict judge(ClassificationQuality quality, double referenceAccuracy) {
		return judge(quality.rows(), quality.accuracy(), referenceAccuracy);
	}

	/**
	 * Judges an accuracy measured on {@code rows} labelled rows against {@code referenceAccuracy} by the rule of the
	 * class comment.
	 *
	 * @throws IllegalArgumentException if the reference accuracy is not in [0, 1]
	 */
	public QualityVerdict judge(long rows, double accuracy, double referenceAccuracy) {
		if (!(referenceAccuracy >= 0 && referenceAccuracy <= 1)) {
			throw new IllegalArgumentException("The reference accuracy must be in [0, 1]: " + referenceAccuracy);
		}
		if (rows < this.minimumRows) {
			return QualityVerdict.INSUFFICIENT;
		}
		return (accuracy < referenceAccuracy - this.maxDrop) ? QualityVerdict.DROPPED : QualityVerdict.OK;
	}

}
