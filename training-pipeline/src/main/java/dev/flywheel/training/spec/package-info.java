/**
 * The training spec (YAML): reading it strictly, every problem named by its key.
 */
package dev.flywheel.training.spec;
