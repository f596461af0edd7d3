package dev.flywheel.inference.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flywheel.inference.batching.Batcher;

/**
 * One model version in memory with its batcher, counted while in use: the service holds one reference while it
 * serves the version, and every request holds one from the moment it picks the version until its answer is computed.
 * A swap drops the service's reference ({@link #retire}); the version is unloaded when the last request in flight on
 * it has finished, so no request ever loses the version it started on.
 */
public final class LoadedVersion {

	private final String modelName;

	private final String version;

	private final String digest;

	private final FeatureSchema schema;

	private final Batcher batcher;

	private final Batcher.Model compute;

	private final AutoCloseable network;

	private final Duration loadTime;

	private final Instant loadedAt = Instant.now();

	private final AtomicInteger references = new AtomicInteger(1);

	private final AtomicBoolean retired = new AtomicBoolean();

	LoadedVersion(String model, String version, String digest, FeatureSchema schema, Batcher batcher,
			Batcher.Model compute, AutoCloseable network, Duration loadTime) {
		this.modelName = model;
		this.version = version;
		this.digest = digest;
		this.schema = schema;
		this.batcher = batcher;
		this.compute = compute;
		this.network = network;
		this.loadTime = loadTime;
	}

	public String model() {
		return modelName;
	}

	public String version() {
		return version;
	}

	public String digest() {
		return digest;
	}

	public FeatureSchema schema() {
		return schema;
	}

	public Duration loadTime() {
		return loadTime;
	}

	public Instant loadedAt() {
		return loadedAt;
	}

	/** Queues validated rows for the model; see {@link Batcher#submit}. */
	public CompletableFuture<Batcher.Result> submit(Rows rows) {
		return batcher.submit(rows.encoded(), rows.count());
	}

	/**
	 * Computes {@code rows} with a model call of their own on the calling thread, bypassing the batcher: the naive
	 * design (one synchronized {@code output()} per request) the benchmark compares batching against.
	 */
	public float[] computeUnbatched(Rows rows) {
		return compute.compute(rows.encoded(), rows.count());
	}

	/** Takes a reference for a request; false when the version was already unloaded (pick again). */
	boolean acquire() {
		while (true) {
			int current = references.get();
			if (current == 0) {
				return false;
			}
			if (references.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	/** Gives back a reference taken by {@link #acquire}; the last one unloads the version. */
	public void release() {
		if (references.decrementAndGet() == 0) {
			unload();
		}
	}

	/** Drops the service's own reference: the version is no longer picked by new requests. */
	void retire() {
		if (retired.compareAndSet(false, true)) {
			release();
		}
	}

	/** Whether the version was unloaded: retired, its last request answered and its batcher stopped. */
	public boolean isUnloaded() {
		return references.get() == 0 && batcher.isStopped();
	}

	private void unload() {
		batcher.close(() -> {
			try {
				network.close();
			}
			catch (Exception ex) {
				// its memory is reclaimed with the object either way
			}
		});
	}

	@Override
	public String toString() {
		return modelName + "/" + version;
	}

}
