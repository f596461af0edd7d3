package dev.flywheel.monitoring.ingest;

/** One fault of a posted body, by its place ({@code predictions[2].features.x[3]}). */
public record FieldError(String field, String message) {
}
