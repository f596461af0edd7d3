package dev.flywheel.monitoring.quality;

/**
 * A version's live quality in a window, with its held-out accuracy (NaN when its bundle is not known or records none)
 * and the verdict against it (null when there is nothing to judge against).
 */
public record VersionQuality(String version, QualityReport report, double heldOutAccuracy, QualityVerdict verdict) {
}
