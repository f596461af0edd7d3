package dev.flywheel.monitoring.retraining;

import java.nio.file.Path;

/**
 * The labelled production data of a model exported for a retraining: a CSV named by the SHA-256 of its content, so
 * the same data is the same file and a version's lineage (which records the digest) names exactly what it learnt from.
 */
public record Snapshot(Path file, String digest, long rows) {
}
