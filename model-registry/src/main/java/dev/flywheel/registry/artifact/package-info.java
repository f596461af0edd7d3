/**
 * Artifacts: MLflow's artifact proxy over a pluggable {@link dev.flywheel.registry.artifact.ArtifactStore} (the local
 * file system by default), with each file's SHA-256 recorded, and the whole model bundle of a version as one zip.
 */
package dev.flywheel.registry.artifact;
