package dev.flywheel.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.routing.TrafficRecorder.PredictionRow;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionBatchesTests {

	private static final long T0 = 1_795_000_000_000L;

	private static String uuid7(long millis, long random) {
		return new UUID((millis << 16) | 0x7000L | (random & 0x0FFFL),
				(random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
	}

	private static PredictionRow row(String id, String variant, long predictedAt) {
		return new PredictionRow(id, "iris", "2", "test-1", variant, true, "setosa", predictedAt);
	}

	@Test
	void predictionsSharingTheirColumnsMakeOneBatchInTheOrderOfTheirIds() {
		List<PredictionRow> rows = List.of(row(uuid7(T0 + 5, 1), "a", T0 + 40), row(uuid7(T0 + 1, 2), "a", T0 + 50),
				row(uuid7(T0 + 3, 3), "b", T0 + 60), row(uuid7(T0 + 9, 4), "a", T0 + 45));
		PredictionBatches batches = PredictionBatches.of(rows);
		assertThat(batches.unbatched()).isEmpty();
		assertThat(batches.batches()).hasSize(2);
		PredictionBatches.Batch a = batches.batches().get(0);
		assertThat(a.group()).isEqualTo(new PredictionBatches.Group("iris", "2", "test-1", "a", true));
		assertThat(a.minTs()).isEqualTo(T0 + 1);
		assertThat(a.maxTs()).isEqualTo(T0 + 9);
		assertThat(a.predictedAt()).isEqualTo(T0 + 40);
		assertThat(a.lastPredictedAt()).isEqualTo(T0 + 50);
		assertThat(a.entries()).extracting(entry -> entry.id().toString())
			.containsExactly(uuid7(T0 + 1, 2), uuid7(T0 + 5, 1), uuid7(T0 + 9, 4));
		assertThat(a.entries()).extracting(BatchPayload.Entry::predictedAt).containsExactly(T0 + 50, T0 + 40, T0 + 45);
		assertThat(batches.batches().get(1).entries()).hasSize(1);
	}

	@Test
	void aBatchNeverSpansMoreThanTheMaximumSpanOfIdTime() {
		List<PredictionRow> rows = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			rows.add(row(uuid7(T0 + i * 70L, i), "a", T0));
		}
		PredictionBatches batches = PredictionBatches.of(rows);
		assertThat(batches.batches()).hasSizeGreaterThan(1);
		assertThat(batches.batches()).allSatisfy(batch -> {
			assertThat(batch.maxTs() - batch.minTs()).isLessThanOrEqualTo(PredictionBatches.MAX_SPAN_MILLIS);
			assertThat(batch.entries()).allSatisfy(entry -> assertThat(entry.id().millis()).isBetween(batch.minTs(),
					batch.maxTs()));
		});
		// cut only where needed: 1000 ms / 70 ms, 15 ids a batch
		assertThat(batches.batches()).hasSize(7);
		assertThat(batches.batches().stream().mapToInt(batch -> batch.entries().size()).sum()).isEqualTo(100);
	}

	@Test
	void aBatchHoldsABoundedNumberOfPredictions() {
		List<PredictionRow> rows = new ArrayList<>();
		for (int i = 0; i < PredictionBatches.MAX_ENTRIES * 2 + 1; i++) {
			rows.add(row(uuid7(T0, i), "a", T0));
		}
		assertThat(PredictionBatches.of(rows).batches()).extracting(batch -> batch.entries().size())
			.containsExactly(PredictionBatches.MAX_ENTRIES, PredictionBatches.MAX_ENTRIES, 1);
	}

	@Test
	void idsThatAreNotVersion7UuidsAreLeftUnbatched() {
		PredictionRow client = row("client-42", "a", T0);
		PredictionRow v4 = row(UUID.randomUUID().toString(), "a", T0);
		PredictionRow v7 = row(uuid7(T0, 1), "a", T0);
		PredictionBatches batches = PredictionBatches.of(List.of(client, v7, v4));
		assertThat(batches.unbatched()).containsExactly(client, v4);
		assertThat(batches.batches()).singleElement().satisfies(batch -> assertThat(batch.entries()).hasSize(1));
	}

}
