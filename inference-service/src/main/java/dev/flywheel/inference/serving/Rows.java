package dev.flywheel.inference.serving;

/**
 * Validated rows ready for the model: {@code count} rows of {@code schema.width()} encoded columns, row-major, and the
 * raw feature values (a {@code Double} or a {@code String} per feature, in signature order) for the prediction log.
 */
public record Rows(FeatureSchema schema, int count, float[] encoded, Object[][] raw) {
}
