/**
 * Deciding running A/B tests: every {@code flywheel.router.decision-interval} each test's stored counts are looked at
 * by the {@code decision} code; a final look is stored with its evidence, ends the test, is written to the model
 * versions as tags, and its action (promote, roll back, report) runs, retried while the registry is down.
 */
package dev.flywheel.router.deciding;
