package dev.flywheel.inference.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flywheel.inference.serving.InferenceException;

/**
 * Gathers the concurrent requests for one model version into one model call, on one dedicated thread.
 * <p>
 * Like Triton's dynamic batcher: the dispatcher takes every request waiting in the queue, up to
 * {@code maxBatchRows} rows, and computes them together. While requests arrive concurrently (the last batch held more
 * than one, or more are queued) it holds the first request up to {@code maxQueueDelay} for a fuller batch; a lone
 * request under light load is computed at once. The queue is bounded: when it is full, {@link #submit} fails at once
 * with 503 and {@code Retry-After} instead of making the caller wait. A request with more rows than
 * {@code maxBatchRows} is computed alone.
 */
public final class Batcher {

	private static final Logger logger = LoggerFactory.getLogger(Batcher.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	/** The computation a batcher feeds: {@code count} rows in, one row of outputs per row out, row-major. */
	@FunctionalInterface
	public interface Model {

		float[] compute(float[] rows, int count);

	}

	/**
	 * The outputs of one request and how it went.
	 *
	 * @param outputs the request's rows of outputs, row-major
	 * @param width the outputs per row
	 * @param queueNanos how long the request waited for its batch to start
	 * @param computeNanos how long its batch took to compute
	 * @param batchRows the rows of the batch it was computed in
	 */
	public record Result(float[] outputs, int width, long queueNanos, long computeNanos, int batchRows) {
	}

	private record Job(float[] rows, int count, long enqueuedNanos, CompletableFuture<Result> future) {
	}

	private final String name;

	private final Model model;

	private final int maxBatchRows;

	private final long maxQueueDelayNanos;

	private final BlockingQueue<Job> queue;

	private final IntConsumer batchRowsListener;

	private final Thread dispatcher;

	private volatile boolean closing;

	private volatile Runnable afterStop = () -> {
	};

	/**
	 * @param name names the dispatcher thread, such as {@code iris/3}
	 * @param batchRowsListener told the rows of every batch computed
	 */
	public Batcher(String name, Model model, int maxBatchRows, Duration maxQueueDelay, int queueCapacity,
			IntConsumer batchRowsListener) {
		this.name = name;
		this.model = model;
		this.maxBatchRows = maxBatchRows;
		this.maxQueueDelayNanos = maxQueueDelay.toNanos();
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
		this.batchRowsListener = batchRowsListener;
		this.dispatcher = new Thread(this::dispatch, "inference-" + name);
		this.dispatcher.setDaemon(true);
		this.dispatcher.start();
	}

	/**
	 * Queues {@code count} encoded rows; the future completes on the dispatcher thread.
	 *
	 * @throws InferenceException 503 when the queue is full or the batcher is closed
	 */
	public CompletableFuture<Result> submit(float[] rows, int count) {
		CompletableFuture<Result> future = new CompletableFuture<>();
		if (closing) {
			throw InferenceException.unavailable("Model " + name + " is being unloaded; retry", RETRY_AFTER);
		}
		if (!queue.offer(new Job(rows, count, System.nanoTime(), future))) {
			throw InferenceException.unavailable("Model " + name + " is overloaded: " + queue.size()
					+ " requests are waiting; retry shortly", RETRY_AFTER);
		}
		return future;
	}

	/** Requests waiting for a batch. */
	public int queued() {
		return queue.size();
	}

	/**
	 * Stops taking requests; the dispatcher computes those already queued, then runs {@code afterStop} (which
	 * releases the model) and ends. Returns at once, so it may be called from any thread, the dispatcher's included.
	 */
	public void close(Runnable afterStop) {
		this.afterStop = afterStop;
		closing = true;
	}

	/** Whether the dispatcher has ended. */
	public boolean isStopped() {
		return !dispatcher.isAlive();
	}

	private void dispatch() {
		List<Job> batch = new ArrayList<>();
		Job carried = null;
		boolean concurrent = false;
		try {
			while (true) {
				Job first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
				carried = null;
				if (first == null) {
					if (closing && queue.isEmpty()) {
						break;
					}
					continue;
				}
				batch.add(first);
				int rows = first.count();
				long deadline = System.nanoTime() + (concurrent ? maxQueueDelayNanos : 0);
				while (rows < maxBatchRows) {
					Job next = queue.poll();
					if (next == null) {
						long left = deadline - System.nanoTime();
						next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
						if (next == null) {
							break;
						}
					}
					if (rows + next.count() > maxBatchRows) {
						carried = next;
						break;
					}
					batch.add(next);
					rows += next.count();
				}
				concurrent = batch.size() > 1 || carried != null || !queue.isEmpty();
				compute(batch, rows);
				batch.clear();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		InferenceException stopped = InferenceException.unavailable("Model " + name + " was stopped; retry",
				RETRY_AFTER);
		batch.forEach(job -> job.future().completeExceptionally(stopped));
		for (Job job = queue.poll(); job != null; job = queue.poll()) {
			job.future().completeExceptionally(stopped);
		}
		afterStop.run();
	}

	private void compute(List<Job> batch, int rows) {
		float[] input = batch.size() == 1 ? batch.get(0).rows() : concatenate(batch, rows);
		long start = System.nanoTime();
		float[] outputs;
		try {
			outputs = model.compute(input, rows);
		}
		catch (Throwable failure) {
			logger.error("Model {} failed on a batch of {} rows", name, rows, failure);
			InferenceException error = InferenceException.modelFailure("Model " + name + " failed: " + failure);
			batch.forEach(job -> job.future().completeExceptionally(error));
			return;
		}
		long computeNanos = System.nanoTime() - start;
		batchRowsListener.accept(rows);
		int width = outputs.length / rows;
		int row = 0;
		for (Job job : batch) {
			float[] slice = batch.size() == 1 ? outputs
					: Arrays.copyOfRange(outputs, row * width, (row + job.count()) * width);
			row += job.count();
			job.future().complete(new Result(slice, width, start - job.enqueuedNanos(), computeNanos, rows));
		}
	}

	private static float[] concatenate(List<Job> batch, int rows) {
		int width = batch.get(0).rows().length / batch.get(0).count();
		float[] input = new float[rows * width];
		int offset = 0;
		for (Job job : batch) {
			System.arraycopy(job.rows(), 0, input, offset, job.rows().length);
			offset += job.rows().length;
		}
		return input;
	}

}
