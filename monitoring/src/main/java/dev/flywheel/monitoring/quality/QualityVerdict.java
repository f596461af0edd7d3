package dev.flywheel.monitoring.quality;

/** What a window's live quality says against the reference ({@link QualityThresholds#judge} gives the rule). */
public enum QualityVerdict {

	/**
	 * Fewer labelled rows than {@link QualityThresholds#minimumRows()}: quality is not judged, neither as dropped nor
	 * as fine.
	 */
	INSUFFICIENT,

	/** Enough labelled rows, and accuracy did not drop by more than the allowed drop. */
	OK,

	/** Enough labelled rows, and accuracy dropped below the reference by more than the allowed drop. */
	DROPPED

}
