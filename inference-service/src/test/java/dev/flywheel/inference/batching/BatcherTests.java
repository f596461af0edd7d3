package dev.flywheel.inference.batching;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.flywheel.inference.serving.InferenceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BatcherTests {

	/** Rows of one column; the model answers each row's value doubled and records the size of every call. */
	private final List<Integer> calls = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstCallMayFinish = new CountDownLatch(1);

	private volatile boolean holdFirstCall;

	private Batcher batcher;

	private final Batcher.Model doubling = (rows, count) -> {
		calls.add(count);
		if (holdFirstCall && calls.size() == 1) {
			awaitQuietly(firstCallMayFinish);
		}
		float[] out = new float[count];
		for (int i = 0; i < count; i++) {
			out[i] = rows[i] * 2;
		}
		return out;
	};

	@AfterEach
	void close() {
		if (batcher != null) {
			batcher.close(() -> {
			});
		}
	}

	@Test
	void requestsArrivingWhileTheModelComputesAreGatheredIntoOneCall() throws Exception {
		holdFirstCall = true;
		batcher = new Batcher("test/1", doubling, 64, Duration.ZERO, 100, rows -> {
		});
		CompletableFuture<Batcher.Result> first = batcher.submit(new float[] { 1 }, 1);
		await().until(() -> calls.size() == 1);
		List<CompletableFuture<Batcher.Result>> waiting = List.of(batcher.submit(new float[] { 2 }, 1),
				batcher.submit(new float[] { 3, 4 }, 2), batcher.submit(new float[] { 5 }, 1));
		firstCallMayFinish.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).outputs()).containsExactly(2);
		assertThat(waiting.get(0).get(10, TimeUnit.SECONDS).outputs()).containsExactly(4);
		assertThat(waiting.get(1).get(10, TimeUnit.SECONDS).outputs()).containsExactly(6, 8);
		assertThat(waiting.get(2).get(10, TimeUnit.SECONDS).outputs()).containsExactly(10);
		assertThat(calls).containsExactly(1, 4);
		assertThat(waiting.get(1).get().batchRows()).isEqualTo(4);
	}

	@Test
	void aBatchNeverExceedsTheRowLimitAndALargerRequestRunsAlone() throws Exception {
		holdFirstCall = true;
		batcher = new Batcher("test/1", doubling, 4, Duration.ZERO, 100, rows -> {
		});
		CompletableFuture<Batcher.Result> first = batcher.submit(new float[] { 1 }, 1);
		await().until(() -> calls.size() == 1);
		List<CompletableFuture<Batcher.Result>> queued = new java.util.ArrayList<>();
		for (int i = 0; i < 6; i++) {
			queued.add(batcher.submit(new float[] { i }, 1));
		}
		CompletableFuture<Batcher.Result> large = batcher.submit(new float[] { 1, 2, 3, 4, 5, 6 }, 6);
		firstCallMayFinish.countDown();

		first.get(10, TimeUnit.SECONDS);
		for (int i = 0; i < 6; i++) {
			assertThat(queued.get(i).get(10, TimeUnit.SECONDS).outputs()).containsExactly(2f * i);
		}
		assertThat(large.get(10, TimeUnit.SECONDS).outputs()).containsExactly(2, 4, 6, 8, 10, 12);
		assertThat(calls).containsExactly(1, 4, 2, 6);
	}

	@Test
	void aFullQueueIsRefusedAtOnceWith503AndRetryAfter() throws Exception {
		holdFirstCall = true;
		batcher = new Batcher("test/1", doubling, 1, Duration.ZERO, 2, rows -> {
		});
		CompletableFuture<Batcher.Result> computing = batcher.submit(new float[] { 1 }, 1);
		await().until(() -> calls.size() == 1);
		CompletableFuture<Batcher.Result> second = batcher.submit(new float[] { 2 }, 1);
		CompletableFuture<Batcher.Result> third = batcher.submit(new float[] { 3 }, 1);

		assertThatThrownBy(() -> batcher.submit(new float[] { 4 }, 1)).isInstanceOfSatisfying(
				InferenceException.class, ex -> {
					assertThat(ex.status().value()).isEqualTo(503);
					assertThat(ex.retryAfter()).isPositive();
					assertThat(ex.getMessage()).contains("test/1", "overloaded");
				});
		firstCallMayFinish.countDown();
		assertThat(computing.get(10, TimeUnit.SECONDS).outputs()).containsExactly(2);
		assertThat(second.get(10, TimeUnit.SECONDS).outputs()).containsExactly(4);
		assertThat(third.get(10, TimeUnit.SECONDS).outputs()).containsExactly(6);
	}

	@Test
	void aLoneRequestIsNotHeldForTheQueueDelay() throws Exception {
		batcher = new Batcher("test/1", doubling, 64, Duration.ofMinutes(5), 100, rows -> {
		});
		// two sequential requests: neither has company, so neither waits the five minutes
		assertThat(batcher.submit(new float[] { 1 }, 1).get(30, TimeUnit.SECONDS).outputs()).containsExactly(2);
		assertThat(batcher.submit(new float[] { 2 }, 1).get(30, TimeUnit.SECONDS).outputs()).containsExactly(4);
	}

	@Test
	void aModelFailureFailsItsBatchWith500AndTheNextBatchIsComputed() throws Exception {
		AtomicBoolean fail = new AtomicBoolean(true);
		batcher = new Batcher("test/1", (rows, count) -> {
			if (fail.getAndSet(false)) {
				throw new IllegalStateException("boom");
			}
			return doubling.compute(rows, count);
		}, 64, Duration.ZERO, 100, rows -> {
		});

		assertThatThrownBy(() -> batcher.submit(new float[] { 1 }, 1).get(10, TimeUnit.SECONDS))
			.isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOfSatisfying(InferenceException.class, ex -> {
				assertThat(ex.status().value()).isEqualTo(500);
				assertThat(ex.getMessage()).contains("test/1", "boom");
			});
		assertThat(batcher.submit(new float[] { 2 }, 1).get(10, TimeUnit.SECONDS).outputs()).containsExactly(4);
	}

	@Test
	void closingComputesWhatIsQueuedThenReleasesTheModelAndRefusesNewRequests() throws Exception {
		holdFirstCall = true;
		AtomicBoolean released = new AtomicBoolean();
		List<Integer> batches = new CopyOnWriteArrayList<>();
		batcher = new Batcher("test/1", doubling, 64, Duration.ZERO, 100, batches::add);
		CompletableFuture<Batcher.Result> computing = batcher.submit(new float[] { 1 }, 1);
		await().until(() -> calls.size() == 1);
		CompletableFuture<Batcher.Result> queued = batcher.submit(new float[] { 2 }, 1);
		batcher.close(() -> released.set(true));

		assertThatThrownBy(() -> batcher.submit(new float[] { 3 }, 1)).isInstanceOf(InferenceException.class)
			.hasMessageContaining("unloaded");
		assertThat(released).isFalse();
		firstCallMayFinish.countDown();
		assertThat(computing.get(10, TimeUnit.SECONDS).outputs()).containsExactly(2);
		assertThat(queued.get(10, TimeUnit.SECONDS).outputs()).containsExactly(4);
		await().untilTrue(released);
		await().until(batcher::isStopped);
		assertThat(batches).containsExactly(1, 1);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
