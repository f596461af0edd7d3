package dev.flywheel.inference.serving;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleException;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * Keeps what each model serves in line with the registry, on one loading thread of its own so that loading never
 * competes with requests for the event loop or the inference threads.
 * <p>
 * A reconciliation resolves the model's aliases and pinned versions in the registry, loads every version not loaded
 * yet (from the bundle cache or the registry, verified, warmed up), and then swaps the whole mapping at once. A
 * version that fails to fetch, verify or load is never switched to: its aliases keep the version they had (at start,
 * the version the serving state recorded for them, so a restart does not lose an alias to a broken version). When the
 * registry cannot be reached nothing changes; at start the service then serves what its cache holds of what it
 * served before. Reconciliations run on every registry event for a served model, and every poll interval whatever
 * the event stream does.
 */
@Component
public class Reconciler implements SmartLifecycle {

	/** Started before the web server and stopped after it, so requests in flight at shutdown keep their models. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger logger = LoggerFactory.getLogger(Reconciler.class);

	private final ServedModels models;

	private final RegistryClient registry;

	private final BundleCache cache;

	private final ModelLoader loader;

	private final ServingState state;

	private final InferenceMetrics metrics;

	private final Duration pollInterval;

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final Set<String> failedBundles = ConcurrentHashMap.newKeySet();

	private ScheduledExecutorService loading;

	public Reconciler(ServedModels models, RegistryClient registry, BundleCache cache, ModelLoader loader,
			ServingState state, InferenceMetrics metrics, InferenceProperties properties) {
		this.models = models;
		this.registry = registry;
		this.cache = cache;
		this.loader = loader;
		this.state = state;
		this.metrics = metrics;
		this.pollInterval = properties.registry().pollInterval();
	}

	@Override
	public void start() {
		loading = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "model-loader");
			thread.setDaemon(true);
			return thread;
		});
		for (ServedModel model : models.all()) {
			loading.execute(() -> {
				if (!reconcileNow(model)) {
					restoreFromCache(model);
				}
			});
		}
		loading.scheduleWithFixedDelay(this::reconcileAll, pollInterval.toMillis(), pollInterval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** Waits for a reconciliation in flight to end, so that none installs a version after the unload. */
	@Override
	public void stop() {
		loading.shutdownNow();
		try {
			if (!loading.awaitTermination(10, TimeUnit.SECONDS)) {
				logger.warn("A model is still loading after 10 s; unloading the others");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		models.all().forEach(model -> model.publish(ServedModel.Snapshot.EMPTY));
	}

	@Override
	public boolean isRunning() {
		return loading != null && !loading.isShutdown();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Asks for a reconciliation of {@code model}; requests made while one is waiting are merged into it. */
	public void reconcile(String model) {
		if (isRunning() && models.contains(model) && pending.add(model)) {
			loading.execute(() -> {
				pending.remove(model);
				reconcileNow(models.get(model));
			});
		}
	}

	public void reconcileAll() {
		models.names().forEach(this::reconcile);
	}

	/** Brings {@code model} in line with the registry; false when the registry could not be asked. */
	private boolean reconcileNow(ServedModel model) {
		Map<String, RegistryClient.Version> aliased = new LinkedHashMap<>();
		Map<String, RegistryClient.Version> wanted = new LinkedHashMap<>();
		try {
			for (String alias : model.aliases()) {
				registry.find(model.name(), alias).ifPresent(version -> {
					aliased.put(alias, version);
					wanted.put(version.version(), version);
				});
			}
			for (String pinned : model.pinned()) {
				registry.find(model.name(), pinned).ifPresentOrElse(version -> wanted.put(version.version(), version),
						() -> logger.warn("Pinned version {} of {} does not exist in the registry", pinned,
								model.name()));
			}
		}
		catch (BundleException ex) {
			logger.warn("Cannot reach the registry to reconcile {}; serving what is loaded: {}", model.name(),
					ex.getMessage());
			return false;
		}
		ServedModel.Snapshot current = model.snapshot();
		Map<String, LoadedVersion> versions = new HashMap<>();
		for (RegistryClient.Version version : wanted.values()) {
			load(model, version.version(), version.digest(), current).ifPresent(v -> versions.put(v.version(), v));
		}
		Map<String, LoadedVersion> aliases = new HashMap<>();
		aliased.forEach((alias, version) -> {
			LoadedVersion loaded = versions.get(version.version());
			if (loaded == null) {
				// the new version failed: the alias keeps what it had (before a restart, if it has nothing yet),
				// and that version stays served
				loaded = current.aliases().get(alias);
				if (loaded == null) {
					loaded = servedBefore(model, alias, versions, current);
				}
				if (loaded != null) {
					versions.put(loaded.version(), loaded);
				}
			}
			if (loaded != null) {
				aliases.put(alias, loaded);
			}
		});
		install(model, new ServedModel.Snapshot(aliases, versions));
		return true;
	}

	/** The version the serving state last recorded for {@code alias}, loaded (from the cache first); null if none. */
	private LoadedVersion servedBefore(ServedModel model, String alias, Map<String, LoadedVersion> versions,
			ServedModel.Snapshot current) {
		ServingState.Served served = state.of(model.name());
		String number = served == null ? null : served.aliases().get(alias);
		if (number == null) {
			return null;
		}
		if (versions.containsKey(number)) {
			return versions.get(number);
		}
		logger.warn("{} of {} keeps version {}, which it served before the restart", alias, model.name(), number);
		return load(model, number, served.digests().get(number), current).orElse(null);
	}

	/** At start with the registry out of reach: serve what was served before, from the verified cache. */
	private void restoreFromCache(ServedModel model) {
		ServingState.Served served = state.of(model.name());
		if (served == null || !model.snapshot().versions().isEmpty()) {
			return;
		}
		Map<String, LoadedVersion> versions = new HashMap<>();
		served.digests().forEach((number, digest) -> {
			try {
				cache.cached(digest)
					.map(bundle -> loadQuietly(model, number, bundle))
					.ifPresent(version -> versions.put(number, version));
			}
			catch (RuntimeException ex) {
				logger.error("Cannot restore version {} of {} from the cache: {}", number, model.name(), ex.getMessage());
			}
		});
		Map<String, LoadedVersion> aliases = new HashMap<>();
		served.aliases().forEach((alias, number) -> {
			if (versions.containsKey(number)) {
				aliases.put(alias, versions.get(number));
			}
		});
		logger.info("The registry is out of reach: serving {} from the bundle cache: {}", model.name(),
				ServedModel.describe(new ServedModel.Snapshot(aliases, versions)));
		model.publish(new ServedModel.Snapshot(aliases, versions));
	}

	private Optional<LoadedVersion> load(ServedModel model, String number, String digest,
			ServedModel.Snapshot current) {
		LoadedVersion loaded = current.versions().get(number);
		if (loaded != null && loaded.digest().equals(digest)) {
			return Optional.of(loaded);
		}
		if (digest == null) {
			logger.error("Version {} of {} has no {} tag, so its bundle cannot be verified; not serving it", number,
					model.name(), Bundle.DIGEST_TAG);
			metrics.loadFailed(model.name());
			return Optional.empty();
		}
		try {
			return Optional.ofNullable(loadQuietly(model, number, cache.obtain(model.name(), number, digest)));
		}
		catch (RuntimeException ex) {
			logger.error("Cannot fetch version {} of {}; the current versions keep serving: {}", number, model.name(),
					ex.getMessage());
			metrics.loadFailed(model.name());
			return Optional.empty();
		}
	}

	private LoadedVersion loadQuietly(ServedModel model, String number, Bundle bundle) {
		try {
			LoadedVersion version = loader.load(model.name(), number, bundle);
			logger.info("Loaded {}/{} (digest {}) in {} ms", model.name(), number, bundle.digest().substring(0, 12),
					version.loadTime().toMillis());
			return version;
		}
		catch (RuntimeException ex) {
			// retried at every reconciliation (a later download may be sound); the stack trace once per bundle
			if (failedBundles.add(bundle.digest())) {
				logger.error("Cannot load version {} of {}; the current versions keep serving", number, model.name(),
						ex);
			}
			else {
				logger.warn("Cannot load version {} of {} again: {}", number, model.name(), ex.getMessage());
			}
			metrics.loadFailed(model.name());
			return null;
		}
	}

	private void install(ServedModel model, ServedModel.Snapshot next) {
		ServedModel.Snapshot current = model.snapshot();
		if (current.aliases().equals(next.aliases()) && current.versions().equals(next.versions())) {
			return;
		}
		model.publish(next);
		state.record(model.name(), next);
		logger.info("{} now serves {} (was {})", model.name(), ServedModel.describe(next),
				ServedModel.describe(current));
	}

}
