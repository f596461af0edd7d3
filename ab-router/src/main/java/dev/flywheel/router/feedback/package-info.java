/**
 * Feedback on routed predictions ({@code POST /api/v1/feedback}): the true label or a numeric reward per prediction
 * id, judged against the recorded prediction, added to its variant's reward sums once, and forwarded to monitoring.
 */
package dev.flywheel.router.feedback;
