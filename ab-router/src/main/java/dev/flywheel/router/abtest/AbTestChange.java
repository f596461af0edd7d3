package dev.flywheel.router.abtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The body of {@code PATCH /api/v1/ab-tests/{id}}: new weights for every variant (by name), a new status
 * ({@code paused} to pause, {@code running} to resume, {@code stopped} to stop) with an optional reason, or both.
 *
 * @param weights every variant's new weight, by name; empty when the weights stay
 * @param status the status asked for, or null when it stays
 * @param reason why, kept as the test's status reason; null for none
 */
record AbTestChange(Map<String, Double> weights, AbTestStatus status, String reason) {

	private static final Set<AbTestStatus> REQUESTABLE = Set.of(AbTestStatus.RUNNING, AbTestStatus.PAUSED,
			AbTestStatus.STOPPED);

	AbTestChange {
		weights = Map.copyOf(weights);
	}

	static AbTestChange read(String body) {
		List<FieldError> errors = new ArrayList<>();
		JsonFields fields = JsonFields.of(RequestJson.parse(body), "", errors)
			.orElseThrow(() -> new InvalidAbTestException(errors));
		fields.refuseUnknown(Set.of("weights", "status", "reason"));
		Map<String, Double> weights = new LinkedHashMap<>();
		fields.object("weights").ifPresent(given -> {
			for (String name : given.propertyNames()) {
				JsonNode value = given.node(name).orElse(null);
				if (value == null || !value.isNumber()) {
					given.invalid(name, "must be a number, not " + (value == null ? "null" : JsonFields.describe(value)));
				}
				else if (!(value.doubleValue() > 0 && Double.isFinite(value.doubleValue()))) {
					given.invalid(name, "must be a positive finite number, not " + value.doubleValue());
				}
				else {
					weights.put(name, value.doubleValue());
				}
			}
			if (given.propertyNames().isEmpty()) {
				fields.invalid("weights", "names no variant; give every variant's weight");
			}
		});
		AbTestStatus status = null;
		if (fields.has("status")) {
			status = AbTestDefinitionReader.choice(fields, "status", AbTestStatus.class, null);
			if (status != null && !REQUESTABLE.contains(status)) {
				fields.invalid("status", "can be set to running, paused or stopped; \"" + status.apiName()
						+ "\" is set by the router only");
				status = null;
			}
		}
		Optional<String> reason = fields.string("reason");
		reason.filter(r -> r.length() > 1000).ifPresent(r -> fields.invalid("reason", "is longer than 1000 characters"));
		if (!fields.has("weights") && !fields.has("status") && errors.isEmpty()) {
			errors.add(new FieldError("$", "nothing to change: give weights, status or both"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidAbTestException(errors);
		}
		return new AbTestChange(weights, status, reason.orElse(null));
	}

}
