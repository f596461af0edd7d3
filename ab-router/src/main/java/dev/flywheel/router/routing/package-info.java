/**
 * The router's prediction paths: each request of the inference service's protocols (Open Inference Protocol, MLflow
 * scoring, the plain API) is assigned to a variant of its model's running A/B test, forwarded to the inference service
 * with that variant's version, answered with the variant named, and counted; shadows get a copy.
 */
package dev.flywheel.router.routing;
