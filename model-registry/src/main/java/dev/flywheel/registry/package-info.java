/**
 * The model registry service. Features sit in sub-packages: {@code experiment}, {@code run}, {@code model}
 * (registered models, versions, aliases), {@code artifact}, {@code event}; {@code mlflow} holds the MLflow wire
 * protocol (request reading, validation, errors), {@code search} the filter and order-by language, and
 * {@code system} the wiring.
 */
package dev.flywheel.registry;
