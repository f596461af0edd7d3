package dev.flywheel.registry.mlflow;

import java.util.Objects;

/** A tag or param as MLflow writes it: {@code {"key": ..., "value": ...}}. */
public record KeyValue(String key, String value) {

	public KeyValue {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
	}

}
