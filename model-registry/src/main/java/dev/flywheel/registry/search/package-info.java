/**
 * MLflow's search language, shared by the experiment, run, registered model and model version searches: the filter
 * grammar, order_by clauses, page tokens, and their translation into bound SQL.
 */
package dev.flywheel.registry.search;
