package dev.flywheel.router.abtest;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored A/B test: its definition, the salt that makes its assignment sticky (generated at creation, never
 * changed, kept across weight changes so that a ramp only moves units into the variant that grew), and its status
 * with the reason for it.
 */
public record AbTest(String id, AbTestDefinition definition, String salt, AbTestStatus status, String statusReason,
		Instant createdAt, Instant updatedAt) {

	public AbTest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(definition, "definition");
		Objects.requireNonNull(salt, "salt");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(updatedAt, "updatedAt");
	}

	public String model() {
		return definition.model();
	}

	public AbTest with(AbTestDefinition definition, AbTestStatus status, String statusReason, Instant updatedAt) {
		return new AbTest(id, definition, salt, status, statusReason, createdAt, updatedAt);
	}

}
