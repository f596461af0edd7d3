/**
 * The MLflow wire protocol as MLflow's own server speaks it: reading a request from its JSON body or query string,
 * MLflow's validation rules and limits, its error codes and the one handler that renders every failure as MLflow's
 * error JSON.
 */
package dev.flywheel.registry.mlflow;
