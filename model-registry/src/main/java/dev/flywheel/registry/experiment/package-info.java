/** MLflow experiments: groups of runs, with tags and soft deletion. */
package dev.flywheel.registry.experiment;
