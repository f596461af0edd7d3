package dev.flywheel.router.abtest;

import java.util.Objects;

/** A variant that gets a copy of requests: its answers are recorded and discarded, never returned. */
public record ShadowVariant(String name, VersionSelector target) {

	public ShadowVariant {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(target, "target");
	}

}
