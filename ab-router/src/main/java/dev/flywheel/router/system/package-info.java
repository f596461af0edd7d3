/**
 * The router's wiring: its settings ({@code flywheel.*}), the database (R2DBC for work, JDBC for Flyway's
 * migrations, database work on a scheduler of its own with answers handed back to the event loop), the registry
 * client and the clock.
 */
package dev.flywheel.router.system;
