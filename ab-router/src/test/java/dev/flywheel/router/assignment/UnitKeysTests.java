package dev.flywheel.router.assignment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UnitKeysTests {

	@Test
	void usesTheGivenKeyWithoutSurroundingWhitespace() {
		UnitKey key = UnitKeys.givenOrRandom("  user-42\t");

		assertThat(key.value()).isEqualTo("user-42");
		assertThat(key.generated()).isFalse();
	}

	@Test
	void makesUpARandomKeyWhenNoneOrABlankOneIsGiven() {
		for (String absent : new String[] { null, "", "   ", "\t\n" }) {
			UnitKey key = UnitKeys.givenOrRandom(absent);

			assertThat(key.generated()).isTrue();
			assertThat(UUID.fromString(key.value()).version()).isEqualTo(4);
		}
	}

	@Test
	void theHeaderWinsOverTheParameterAndTheParameterStandsInForAnAbsentHeader() {
		assertThat(UnitKeys.givenOrRandom("from-header", "from-parameter").value()).isEqualTo("from-header");
		assertThat(UnitKeys.givenOrRandom(null, "from-parameter").value()).isEqualTo("from-parameter");
		assertThat(UnitKeys.givenOrRandom(" ", "from-parameter").value()).isEqualTo("from-parameter");
		assertThat(UnitKeys.givenOrRandom(null, " ").generated()).isTrue();
		assertThat(UnitKeys.givenOrRandom(null, null).generated()).isTrue();
	}

	@Test
	void refusesAKeyOverTheLimitNamingTheLimit() {
		String longest = "u".repeat(UnitKeys.MAX_LENGTH);

		assertThat(UnitKeys.givenOrRandom(longest).value()).isEqualTo(longest);
		// the limit counts characters, not UTF-16 units: 256 emoji are 512 chars in Java
		assertThat(UnitKeys.givenOrRandom("\uD83C\uDF35".repeat(256)).value()).hasSize(512);
		assertThatThrownBy(() -> UnitKeys.givenOrRandom(longest + "u")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("A unit key (the X-Flywheel-Unit header or the OIP parameter unit) may have at most 256 "
					+ "characters: got 257");
		assertThatThrownBy(() -> UnitKeys.givenOrRandom(longest + "u", "short")).hasMessageContaining("256");
	}

	@Test
	void aUnitKeyIsNeverBlank() {
		assertThatThrownBy(() -> new UnitKey(" ", false)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("A unit key must not be blank");
	}

	@Test
	void randomKeysAreDistinctVersion4Uuids() {
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String key = UnitKeys.random();
			UUID uuid = UUID.fromString(key);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			keys.add(key);
		}

		assertThat(keys).hasSize(100_000);
	}

	@Test
	void requestsWithoutAKeySpreadOverTheVariantsAsTheWeightsSay() {
		Assigner assigner = new Assigner("checkout-2024", Split.of(List.of(10.0, 90.0)));
		int first = 0;
		for (int i = 0; i < 100_000; i++) {
			if (assigner.assign(UnitKeys.givenOrRandom(null)).variant() == 0) {
				first++;
			}
		}

		// random keys, so no fixed outcome: 10% within 5 standard deviations (a false failure once in 1.7 million)
		assertThat(first).isCloseTo(10_000, within((int) Math.ceil(5 * Math.sqrt(100_000 * 0.1 * 0.9))));
	}

}
