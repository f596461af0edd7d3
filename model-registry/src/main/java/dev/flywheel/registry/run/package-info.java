/** MLflow runs: their info and lifecycle, the metrics, params and tags logged to them, and run search. */
package dev.flywheel.registry.run;
