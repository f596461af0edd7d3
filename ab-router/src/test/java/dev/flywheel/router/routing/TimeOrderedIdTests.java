package dev.flywheel.router.routing;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdTests {

	/** An id as the inference service makes them (its PredictionIds), at a known time. */
	private static String uuid7(long millis, long random) {
		long high = (millis << 16) | 0x7000L | (random & 0x0FFFL);
		long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	@Test
	void theTimeIsTheFirst48BitsInMilliseconds() {
		long millis = 1_795_000_000_123L;
		TimeOrderedId id = TimeOrderedId.parse(uuid7(millis, 0x5DEECE66DL));
		assertThat(id).isNotNull();
		assertThat(id.millis()).isEqualTo(millis);
		// the id the bench saw from the inference service: 0x01a21e1506df ms
		assertThat(TimeOrderedId.parse("01a21e15-06df-7f47-92df-003ac0a66b6f").millis()).isEqualTo(0x01a21e1506dfL);
	}

	@Test
	void theTextComesBackExactly() {
		for (long random = 1; random < 1_000_000_000_000L; random *= 7) {
			String text = uuid7(1_700_000_000_000L + random % 1000, random * 0x9E3779B97F4A7C15L);
			TimeOrderedId id = TimeOrderedId.parse(text);
			assertThat(id.toString()).isEqualTo(text);
			assertThat(new UUID(id.high(), id.low())).isEqualTo(UUID.fromString(text));
		}
	}

	@Test
	void otherIdsAreNotTimeOrdered() {
		String v7 = uuid7(1_795_000_000_000L, 42);
		assertThat(TimeOrderedId.parse(v7)).isNotNull();
		// a version 4 UUID, upper case (another text of the same bytes), another variant, no hyphens, other strings
		assertThat(TimeOrderedId.parse("6f1c9a2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b")).isNull();
		assertThat(TimeOrderedId.parse(v7.toUpperCase())).isNull();
		assertThat(TimeOrderedId.parse(v7.substring(0, 19) + "c" + v7.substring(20))).isNull();
		assertThat(TimeOrderedId.parse(v7.replace("-", ""))).isNull();
		assertThat(TimeOrderedId.parse(v7.substring(0, 35) + "g")).isNull();
		assertThat(TimeOrderedId.parse(v7.substring(0, 8) + "+" + v7.substring(9))).isNull();
		assertThat(TimeOrderedId.parse("no-such-prediction")).isNull();
		assertThat(TimeOrderedId.parse("")).isNull();
		assertThat(TimeOrderedId.parse(null)).isNull();
	}

}
