/**
 * Datasets: CSV files read with their digests, typed features, one-hot categories and classes.
 */
package dev.flywheel.training.dataset;
