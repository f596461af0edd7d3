/**
 * Artifacts: MLflow's artifact proxy over a pluggable {@link dev.flywheel.registry.artifact.ArtifactStore} (the local
 * file system by default, or an S3-compatible bucket through {@link dev.flywheel.registry.artifact.S3ArtifactStore}),
 * with each file's SHA-256 recorded, and the whole model bundle of a version as one zip.
 */
package dev.flywheel.registry.artifact;
