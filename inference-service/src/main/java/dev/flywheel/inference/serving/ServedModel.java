package dev.flywheel.inference.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One registered model as this service serves it: which loaded version each alias and each pinned number resolves
 * to. The mapping is an immutable snapshot swapped atomically, so a request sees either the old mapping or the new
 * one, never a mix; the versions a swap leaves out are retired and unload once their last request is answered.
 */
public final class ServedModel {

	/** The alias a request that names no version gets. */
	public static final String DEFAULT_ALIAS = "champion";

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	/**
	 * @param aliases alias to loaded version
	 * @param versions version number to loaded version, for every version served (aliased or pinned)
	 */
	public record Snapshot(Map<String, LoadedVersion> aliases, Map<String, LoadedVersion> versions) {

		public static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

		public Snapshot {
			aliases = Map.copyOf(aliases);
			versions = Map.copyOf(versions);
		}

		/** The aliases that point at {@code version}. */
		public List<String> aliasesOf(String version) {
			return aliases.entrySet()
				.stream()
				.filter(entry -> entry.getValue().version().equals(version))
				.map(Map.Entry::getKey)
				.sorted()
				.toList();
		}

	}

	private final String name;

	private final List<String> aliases;

	private final List<String> pinned;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);

	private final Set<LoadedVersion> inMemory = ConcurrentHashMap.newKeySet();

	public ServedModel(String name, List<String> aliases, List<String> pinned) {
		this.name = name;
		this.aliases = List.copyOf(aliases);
		this.pinned = List.copyOf(pinned);
	}

	public String name() {
		return name;
	}

	public List<String> aliases() {
		return aliases;
	}

	public List<String> pinned() {
		return pinned;
	}

	public Snapshot snapshot() {
		return snapshot.get();
	}

	/** Whether the version a request without a version gets is loaded. */
	public boolean isReady() {
		return snapshot.get().aliases().containsKey(DEFAULT_ALIAS);
	}

	/**
	 * Picks the version {@code versionOrAlias} names (the champion when null) and takes a reference on it for the
	 * caller, who must {@link LoadedVersion#release} it when its answer is computed.
	 *
	 * @throws InferenceException 404 when this service does not serve that version, 503 when it will but has not
	 * loaded it yet
	 */
	public LoadedVersion acquire(String versionOrAlias) {
		String wanted = versionOrAlias == null || versionOrAlias.isBlank() ? DEFAULT_ALIAS : versionOrAlias;
		while (true) {
			Snapshot current = snapshot.get();
			LoadedVersion version = current.aliases().get(wanted);
			if (version == null) {
				version = current.versions().get(wanted);
			}
			if (version == null) {
				throw missing(current, wanted);
			}
			if (version.acquire()) {
				return version;
			}
			// retired and unloaded between the read and the acquire: the snapshot has moved on, read it again
		}
	}

	/** Installs {@code next} and retires every version it no longer serves. */
	void publish(Snapshot next) {
		next.versions().values().forEach(inMemory::add);
		Snapshot previous = snapshot.getAndSet(next);
		Set<LoadedVersion> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
		kept.addAll(next.versions().values());
		for (LoadedVersion version : previous.versions().values()) {
			if (!kept.contains(version)) {
				version.retire();
			}
		}
		inMemory.removeIf(LoadedVersion::isUnloaded);
	}

	/** Versions in memory: served ones and retired ones still answering requests in flight. */
	public int versionsInMemory() {
		inMemory.removeIf(LoadedVersion::isUnloaded);
		return inMemory.size();
	}

	/** A description of what is served, such as {@code 3 (champion), 4 (challenger), 1}. */
	public static String describe(Snapshot snapshot) {
		if (snapshot.versions().isEmpty()) {
			return "none yet";
		}
		Map<String, List<String>> byVersion = new LinkedHashMap<>();
		snapshot.versions().keySet().stream().sorted(ServedModel::byNumber).forEach(v -> byVersion.put(v,
				snapshot.aliasesOf(v)));
		return byVersion.entrySet()
			.stream()
			.map(e -> e.getKey() + (e.getValue().isEmpty() ? "" : " (" + String.join(", ", e.getValue()) + ")"))
			.collect(Collectors.joining(", "));
	}

	/** Orders version numbers as numbers: 2 before 10. */
	public static int byNumber(String a, String b) {
		return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
	}

	private InferenceException missing(Snapshot current, String wanted) {
		if (aliases.contains(wanted) || pinned.contains(wanted)) {
			return InferenceException.unavailable("Model '" + name + "' has no version loaded for '" + wanted
					+ "' yet; served now: " + describe(current), RETRY_AFTER);
		}
		return InferenceException.notFound("Model '" + name + "' has no served version '" + wanted
				+ "'; served: " + describe(current) + ". Name a version number or one of the aliases " + aliases);
	}

	/** All loaded versions of the current snapshot, for shutdown. */
	Collection<LoadedVersion> served() {
		return new ArrayList<>(snapshot.get().versions().values());
	}

}
