/**
 * Sticky, ramp-safe assignment of units to the variants of an A/B test, in plain Java: a unit key (the
 * {@code X-Flywheel-Unit} header, the OIP {@code parameters.unit}, or a random key) hashes with MurmurHash3 x86_32,
 * seeded by the test's salt, into one of 10,000 buckets, and the test's {@link dev.flywheel.router.assignment.Split}
 * says which variant owns that bucket. The split follows the history of the test's weights so that a change of
 * weights moves units only from variants whose share fell to variants whose share rose.
 */
package dev.flywheel.router.assignment;
