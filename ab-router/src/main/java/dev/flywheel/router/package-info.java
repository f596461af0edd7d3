/**
 * The A/B router: sticky A/B tests between versions of a registered model, feedback, and sequential decisions that
 * promote or roll back versions in the registry.
 */
package dev.flywheel.router;
