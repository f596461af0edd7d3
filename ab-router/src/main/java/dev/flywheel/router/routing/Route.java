package dev.flywheel.router.routing;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.VersionSelector;
import dev.flywheel.router.assignment.UnitKey;

/**
 * Where one request goes: a variant of a running A/B test, chosen for its unit.
 *
 * @param test the test
 * @param variant the variant's name
 * @param target the version (or alias) the variant serves
 * @param forDecision whether the unit counts for the decision (always, except the adaptive share of a Thompson test)
 * @param unit the unit key the variant was chosen by
 */
record Route(AbTest test, String variant, VersionSelector target, boolean forDecision, UnitKey unit) {
}
