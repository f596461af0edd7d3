package dev.flywheel.router.abtest;

/** Published after a test was created or changed in this router, so that what caches running tests reloads them. */
public record AbTestChanged(String id, AbTestStatus status) {
}
