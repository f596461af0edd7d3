/**
 * Wiring of the registry: properties, database access, the database defaults, the write-token filter and the
 * loopback guard.
 */
package dev.flywheel.registry.system;
