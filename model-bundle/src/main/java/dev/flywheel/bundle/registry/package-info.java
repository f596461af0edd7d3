/** Publishing bundles to an MLflow-compatible registry and fetching them back, verified against their digest. */
package dev.flywheel.bundle.registry;
