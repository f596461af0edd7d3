package dev.flywheel.router.abtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.ErrorRateGuardrail;
import dev.flywheel.router.decision.Guardrail;
import dev.flywheel.router.decision.LatencyGuardrail;

/**
 * Turns the body of {@code POST /api/v1/ab-tests} into a definition, or refuses it with every error at once.
 * Unknown fields are refused: a misspelt {@code min_sample} must not leave the default in force unnoticed.
 */
final class AbTestDefinitionReader {

	/** Variant names appear in headers and metric tags. */
	static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

	static final double MAX_ALPHA = 0.5;

	private static final Set<String> FIELDS = Set.of("model", "variants", "shadows", "reward", "alpha", "min_samples",
			"max_samples", "guardrails", "action", "allocation", "uniform_share");

	private static final Set<String> VARIANT_FIELDS = Set.of("name", "alias", "version", "weight");

	private static final Set<String> SHADOW_FIELDS = Set.of("name", "alias", "version");

	private static final Set<String> GUARDRAIL_FIELDS = Set.of("max_error_rate_increase", "p99_latency_ms");

	private AbTestDefinitionReader() {
	}

	static AbTestDefinition read(String body) {
		List<FieldError> errors = new ArrayList<>();
		JsonFields fields = JsonFields.of(RequestJson.parse(body), "", errors)
			.orElseThrow(() -> new InvalidAbTestException(errors));
		fields.refuseUnknown(FIELDS);
		Optional<String> model = fields.requiredString("model");
		model.filter(m -> m.length() > 256).ifPresent(m -> fields.invalid("model", "is longer than 256 characters"));
		List<Variant> variants = variants(fields, errors);
		List<ShadowVariant> shadows = shadows(fields, errors);
		duplicateNames(variants, shadows, errors);
		Reward reward = reward(fields);
		DecisionPolicy policy = policy(fields, variants.size());
		DecisionAction action = choice(fields, "action", DecisionAction.class, DecisionAction.REPORT);
		Allocation allocation = allocation(fields);
		if (!errors.isEmpty()) {
			throw new InvalidAbTestException(errors);
		}
		return new AbTestDefinition(model.orElseThrow(), variants, shadows, reward, policy, action, allocation);
	}

	private static List<Variant> variants(JsonFields fields, List<FieldError> errors) {
		if (!fields.has("variants")) {
			fields.missing("variants");
			return List.of();
		}
		List<JsonNode> items = fields.array("variants").orElse(null);
		if (items == null) {
			return List.of();
		}
		if (items.size() < 2) {
			fields.invalid("variants", "needs at least two variants (the first is the control), got " + items.size());
		}
		List<Variant> variants = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String path = "variants[" + i + "]";
			JsonFields variant = JsonFields.of(items.get(i), path, errors).orElse(null);
			if (variant == null) {
				continue;
			}
			variant.refuseUnknown(VARIANT_FIELDS);
			Optional<String> name = name(variant);
			Optional<VersionSelector> target = target(variant);
			OptionalDouble weight = variant.number("weight");
			if (!variant.has("weight")) {
				variant.missing("weight");
			}
			else if (weight.isPresent() && !(weight.getAsDouble() > 0 && Double.isFinite(weight.getAsDouble()))) {
				variant.invalid("weight", "must be a positive finite number, not " + weight.getAsDouble());
				weight = OptionalDouble.empty();
			}
			if (name.isPresent() && target.isPresent() && weight.isPresent()) {
				variants.add(new Variant(name.get(), target.get(), weight.getAsDouble()));
			}
		}
		return variants;
	}

	private static List<ShadowVariant> shadows(JsonFields fields, List<FieldError> errors) {
		List<ShadowVariant> shadows = new ArrayList<>();
		List<JsonNode> items = fields.array("shadows").orElse(List.of());
		for (int i = 0; i < items.size(); i++) {
			JsonFields shadow = JsonFields.of(items.get(i), "shadows[" + i + "]", errors).orElse(null);
			if (shadow == null) {
				continue;
			}
			shadow.refuseUnknown(SHADOW_FIELDS);
			Optional<String> name = name(shadow);
			Optional<VersionSelector> target = target(shadow);
			if (name.isPresent() && target.isPresent()) {
				shadows.add(new ShadowVariant(name.get(), target.get()));
			}
		}
		return shadows;
	}

	private static Optional<String> name(JsonFields variant) {
		Optional<String> name = variant.requiredString("name");
		if (name.isPresent() && !VARIANT_NAME.matcher(name.get()).matches()) {
			return variant.invalid("name", "'" + name.get()
					+ "' is not a variant name: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
		}
		return name;
	}

	private static Optional<VersionSelector> target(JsonFields variant) {
		boolean alias = variant.has("alias");
		boolean version = variant.has("version");
		if (alias == version) {
			return variant.invalid(alias ? "alias" : "version",
					alias ? "give either alias or version, not both" : "give either alias or version (one is required)");
		}
		if (alias) {
			return variant.string("alias").flatMap(a -> a.chars().allMatch(Character::isDigit)
					? variant.invalid("alias", "'" + a + "' is a number; give a version number as version")
					: Optional.of(VersionSelector.alias(a)));
		}
		JsonNode value = variant.node("version").orElseThrow();
		String text = value.isIntegralNumber() ? value.numberValue().toString() : value.isString() ? value.asString() : "";
		if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 18
				|| Long.parseLong(text) < 1) {
			return variant.invalid("version", "must be a version number (1, 2, ...), not " + JsonFields.describe(value));
		}
		return Optional.of(VersionSelector.version(Long.toString(Long.parseLong(text))));
	}

	private static void duplicateNames(List<Variant> variants, List<ShadowVariant> shadows, List<FieldError> errors) {
		Set<String> seen = new HashSet<>();
		for (Variant variant : variants) {
			if (!seen.add(variant.name())) {
				errors.add(new FieldError("variants", "two variants are named '" + variant.name() + "'"));
			}
		}
		for (ShadowVariant shadow : shadows) {
			if (!seen.add(shadow.name())) {
				errors.add(new FieldError("shadows", "the name '" + shadow.name() + "' is already used by another variant"));
			}
		}
	}

	private static Reward reward(JsonFields fields) {
		if (!fields.has("reward")) {
			fields.missing("reward");
			return Reward.LABEL;
		}
		return fields.object("reward").map(reward -> {
			reward.refuseUnknown(Set.of("kind"));
			if (!reward.has("kind")) {
				reward.missing("kind");
			}
			return choice(reward, "kind", Reward.class, Reward.LABEL);
		}).orElse(Reward.LABEL);
	}

	private static DecisionPolicy policy(JsonFields fields, int variantCount) {
		DecisionPolicy policy = DecisionPolicy.defaults();
		OptionalDouble alpha = fields.number("alpha");
		if (alpha.isPresent()) {
			if (alpha.getAsDouble() > 0 && alpha.getAsDouble() < MAX_ALPHA) {
				policy = policy.withAlpha(alpha.getAsDouble());
			}
			else {
				fields.invalid("alpha", "must lie strictly between 0 and " + MAX_ALPHA + ", not " + alpha.getAsDouble());
			}
		}
		OptionalLong minSamples = fields.integer("min_samples");
		if (minSamples.isPresent()) {
			if (minSamples.getAsLong() >= 2) {
				policy = policy.withMinSamplesPerVariant(minSamples.getAsLong());
			}
			else {
				fields.invalid("min_samples", "must be at least 2 (a variance needs two samples), not "
						+ minSamples.getAsLong());
			}
		}
		OptionalLong maxSamples = fields.integer("max_samples");
		if (maxSamples.isPresent()) {
			long floor = policy.minSamplesPerVariant() * Math.max(2, variantCount);
			if (maxSamples.getAsLong() >= floor) {
				policy = policy.withMaxTotalSamples(maxSamples.getAsLong());
			}
			else {
				fields.invalid("max_samples", "is the total over all variants and must be at least min_samples × "
						+ "variants = " + floor + ", not " + maxSamples.getAsLong());
			}
		}
		return policy.withGuardrails(guardrails(fields).toArray(Guardrail[]::new));
	}

	private static List<Guardrail> guardrails(JsonFields fields) {
		List<Guardrail> guardrails = new ArrayList<>();
		fields.object("guardrails").ifPresent(limits -> {
			limits.refuseUnknown(GUARDRAIL_FIELDS);
			OptionalDouble errorRate = limits.number("max_error_rate_increase");
			if (errorRate.isPresent()) {
				double margin = errorRate.getAsDouble();
				if (margin >= 0 && margin < 1) {
					guardrails.add(new ErrorRateGuardrail(margin));
				}
				else {
					limits.invalid("max_error_rate_increase",
							"is an increase of the error rate and lies in [0, 1), not " + margin);
				}
			}
			OptionalLong latency = limits.integer("p99_latency_ms");
			if (latency.isPresent()) {
				if (latency.getAsLong() > 0) {
					guardrails.add(LatencyGuardrail.p99(Duration.ofMillis(latency.getAsLong())));
				}
				else {
					limits.invalid("p99_latency_ms", "must be a positive number of milliseconds, not "
							+ latency.getAsLong());
				}
			}
		});
		return guardrails;
	}

	private static Allocation allocation(JsonFields fields) {
		Allocation.Mode mode = choice(fields, "allocation", Allocation.Mode.class, Allocation.Mode.FIXED);
		OptionalDouble share = fields.number("uniform_share");
		if (mode == Allocation.Mode.FIXED) {
			if (share.isPresent()) {
				fields.invalid("uniform_share", "applies only to \"allocation\": \"thompson\"");
			}
			return Allocation.FIXED;
		}
		double uniformShare = share.orElse(Allocation.DEFAULT_UNIFORM_SHARE);
		if (!(uniformShare > 0 && uniformShare <= 1)) {
			fields.invalid("uniform_share", "is the share of requests assigned uniformly and lies in (0, 1], not "
					+ uniformShare);
			return Allocation.thompson(Allocation.DEFAULT_UNIFORM_SHARE);
		}
		return Allocation.thompson(uniformShare);
	}

	/** One of an enum's values, written in lower case in the API. */
	static <E extends Enum<E>> E choice(JsonFields fields, String name, Class<E> type, E fallback) {
		Optional<String> value = fields.string(name);
		if (value.isEmpty()) {
			return fallback;
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equals(value.get().toUpperCase(Locale.ROOT))) {
				return constant;
			}
		}
		List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
			.map(c -> c.name().toLowerCase(Locale.ROOT))
			.toList();
		fields.invalid(name, "must be one of " + allowed + ", not \"" + value.get() + "\"");
		return fallback;
	}

}
