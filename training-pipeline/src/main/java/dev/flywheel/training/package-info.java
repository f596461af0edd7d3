/**
 * The training job: from a spec and a dataset to a published, gated model bundle.
 */
package dev.flywheel.training;
