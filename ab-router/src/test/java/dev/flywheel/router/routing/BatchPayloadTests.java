package dev.flywheel.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPayloadTests {

	private static TimeOrderedId id(long millis, long random) {
		return TimeOrderedId.parse(new UUID((millis << 16) | 0x7000L | (random & 0x0FFFL),
				(random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString());
	}

	@Test
	void entriesComeBackAsTheyWent() {
		long since = 1_795_000_000_000L;
		List<BatchPayload.Entry> entries = List.of(new BatchPayload.Entry(id(since - 3, 1), since, "setosa"),
				new BatchPayload.Entry(id(since, -1L), since + 127, null),
				new BatchPayload.Entry(id(since + 1, 0x123456789L), since + 128, ""),
				new BatchPayload.Entry(id(since + 2, 7), since + 3_000_000_000L, "étiquette 7 ✓"),
				new BatchPayload.Entry(id(since + 2, 8), since + 5, "x".repeat(300)));
		byte[] payload = BatchPayload.encode(since, entries);
		assertThat(BatchPayload.decode(since, payload)).isEqualTo(entries);
	}

	@Test
	void aClassifiersPredictionTakesAbout20Bytes() {
		long since = 1_795_000_000_000L;
		List<BatchPayload.Entry> entries = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			entries.add(new BatchPayload.Entry(id(since + i / 5, i * 31L), since + i / 5, String.valueOf(i % 10)));
		}
		byte[] payload = BatchPayload.encode(since, entries);
		assertThat(payload.length).isBetween(19 * 1000, 21 * 1000 + 3);
		assertThat(BatchPayload.decode(since, payload)).isEqualTo(entries);
	}

	@Test
	void anEmptyBatchIsTwoBytes() {
		assertThat(BatchPayload.encode(5, List.of())).hasSize(2);
		assertThat(BatchPayload.decode(5, BatchPayload.encode(5, List.of()))).isEmpty();
	}

	@Test
	void aPredictionBeforeItsBatchOrABrokenPayloadIsRefused() {
		long since = 1_795_000_000_000L;
		BatchPayload.Entry early = new BatchPayload.Entry(id(since, 1), since - 1, "a");
		assertThatThrownBy(() -> BatchPayload.encode(since, List.of(early))).isInstanceOf(IllegalArgumentException.class);
		byte[] payload = BatchPayload.encode(since, List.of(new BatchPayload.Entry(id(since, 1), since, "a")));
		byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 1);
		assertThatThrownBy(() -> BatchPayload.decode(since, longer)).isInstanceOf(IllegalArgumentException.class);
		payload[0] = 2;
		assertThatThrownBy(() -> BatchPayload.decode(since, payload)).isInstanceOf(IllegalArgumentException.class);
	}

}
