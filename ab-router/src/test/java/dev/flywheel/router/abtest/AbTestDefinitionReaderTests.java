package dev.flywheel.router.abtest;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.decision.DecisionPolicy;
import dev.flywheel.router.decision.ErrorRateGuardrail;
import dev.flywheel.router.decision.LatencyGuardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AbTestDefinitionReaderTests {

	@Test
	void readsEverySettingIntoTheDecisionPolicy() {
		AbTestDefinition definition = AbTestDefinitionReader.read(AbTestRequests.full("iris"));
		assertThat(definition.model()).isEqualTo("iris");
		assertThat(definition.variants()).containsExactly(new Variant("control", VersionSelector.alias("champion"), 50),
				new Variant("v2", VersionSelector.version("2"), 30), new Variant("v3", VersionSelector.version("3"), 20));
		assertThat(definition.shadows()).containsExactly(new ShadowVariant("shadow", VersionSelector.alias("challenger")));
		assertThat(definition.reward()).isEqualTo(Reward.NUMERIC);
		DecisionPolicy policy = definition.policy();
		assertThat(policy.alpha()).isEqualTo(0.01);
		assertThat(policy.minSamplesPerVariant()).isEqualTo(500);
		assertThat(policy.maxTotalSamples()).hasValue(20000);
		assertThat(policy.guardrails()).containsExactly(new ErrorRateGuardrail(0.002),
				LatencyGuardrail.p99(Duration.ofMillis(250)));
		assertThat(definition.action()).isEqualTo(DecisionAction.PROMOTE);
		assertThat(definition.allocation()).isEqualTo(Allocation.thompson(0.3));
	}

	@Test
	void leavesTheRestAtTheDecisionPolicyDefaults() {
		AbTestDefinition definition = AbTestDefinitionReader.read(AbTestRequests.minimal("iris"));
		assertThat(definition.policy()).isEqualTo(DecisionPolicy.defaults());
		assertThat(definition.action()).isEqualTo(DecisionAction.REPORT);
		assertThat(definition.allocation()).isEqualTo(Allocation.FIXED);
		assertThat(definition.shadows()).isEmpty();
		assertThat(AbTestDefinitionReader.read(AbTestRequests.minimal("iris")
			.replace("\"reward\"", "\"allocation\": \"thompson\", \"reward\"")).allocation())
			.isEqualTo(Allocation.thompson(Allocation.DEFAULT_UNIFORM_SHARE));
	}

	@Test
	void reportsEveryErrorOfARequestAtOnce() {
		InvalidAbTestException refused = catchThrowableOfType(InvalidAbTestException.class,
				() -> AbTestDefinitionReader.read("""
						{"model": "", "variants": [{"name": "a", "alias": "x", "version": 1, "weight": 0},
						                           {"name": "a", "weight": "NaN"}],
						 "alpha": 0.7, "colour": "red"}"""));
		assertThat(refused.errors()).extracting(FieldError::field)
			.containsExactlyInAnyOrder("colour", "model", "variants[0].alias", "variants[0].weight",
					"variants[1].version", "variants[1].weight", "reward", "alpha");
	}

	@Test
	void readsNonNumericNumbersSoThatTheyAreRefusedByName() {
		for (String weight : List.of("NaN", "-Infinity")) {
			InvalidAbTestException refused = catchThrowableOfType(InvalidAbTestException.class,
					() -> AbTestDefinitionReader.read(AbTestRequests.minimal("iris").replace("90", weight)));
			assertThat(refused.errors()).extracting(FieldError::field).containsExactly("variants[0].weight");
		}
	}

	@Test
	void refusesADigitAliasAndANonPositiveVersion() {
		InvalidAbTestException refused = catchThrowableOfType(InvalidAbTestException.class,
				() -> AbTestDefinitionReader.read(AbTestRequests.minimal("iris")
					.replace("\"alias\": \"champion\"", "\"alias\": \"7\"")
					.replace("\"alias\": \"challenger\"", "\"version\": 0")));
		assertThat(refused.errors()).extracting(FieldError::field)
			.containsExactly("variants[0].alias", "variants[1].version");
	}

}
