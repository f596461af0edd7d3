/**
 * A/B test definitions ({@code /api/v1/ab-tests}): a model, its variants (an alias or a version each, with a weight;
 * the first is the control), optional shadow variants, the reward, the decision policy, the action on a decision and
 * the allocation. Definitions are validated field by field, checked against the registry (the model and every
 * version or alias must exist) and persisted with the status of the test; at most one test runs per model.
 */
package dev.flywheel.router.abtest;
