package dev.flywheel.monitoring.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.monitoring.system.RegistryProperties;

/**
 * Each version's reference, read from its bundle in the registry (downloaded and verified against its digest, then
 * thrown away but for its profile and held-out accuracy) and kept: a version's bundle never changes. A version whose bundle cannot be
 * read now (the registry down, the version gone, no bundle) is asked for again after {@link #RETRY_AFTER}, so that a
 * registry outage does not turn into a storm of calls.
 */
@Component
public class References {

	public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(References.class);

	private final RegistryClient registry;

	private final Clock clock;

	private final Map<VersionKey, Reference> references = new ConcurrentHashMap<>();

	private final Map<VersionKey, Failure> failures = new ConcurrentHashMap<>();

	/**
	 * A version's reference.
	 *
	 * @param heldOutAccuracy the accuracy on the held-out split its bundle records, NaN when it records none
	 */
	public record Reference(ReferenceProfile profile, double heldOutAccuracy) {
	}

	/** Why a version's reference is not known, and since when. */
	record Failure(String reason, long at) {
	}

	References(RegistryProperties properties, Clock clock) {
		this.registry = new RegistryClient(properties.url(), properties.token().isBlank() ? null : properties.token(),
				properties.timeout());
		this.clock = clock;
	}

	/** The reference if known, else empty after asking the registry (at most every {@link #RETRY_AFTER}). */
	public Mono<Reference> of(VersionKey version) {
		Reference known = references.get(version);
		if (known != null) {
			return Mono.just(known);
		}
		Failure failed = failures.get(version);
		if (failed != null && clock.millis() - failed.at() < RETRY_AFTER.toMillis()) {
			return Mono.empty();
		}
		return Mono.fromCallable(() -> fetch(version))
			.subscribeOn(Schedulers.boundedElastic())
			.doOnNext(reference -> {
				references.put(version, reference);
				failures.remove(version);
			})
			.onErrorResume(ex -> {
				String reason = ex.getMessage() == null ? ex.toString() : ex.getMessage();
				logger.warn("No reference for {} yet: {}", version, reason);
				failures.put(version, new Failure(reason, clock.millis()));
				return Mono.empty();
			});
	}

	/** The reference of a version already read, or null. */
	public Reference known(VersionKey version) {
		return references.get(version);
	}

	/** Why the profile of a version is not known, or null. */
	public String failure(VersionKey version) {
		Failure failed = failures.get(version);
		return failed == null ? null : failed.reason();
	}

	private Reference fetch(VersionKey version) throws IOException {
		Path work = Files.createTempDirectory("flywheel-reference-");
		try {
			Bundle bundle = registry.fetch(version.model(), version.version(), work.resolve("bundle"));
			Double accuracy = bundle.metrics().values().get("accuracy");
			return new Reference(bundle.profile(), accuracy == null ? Double.NaN : accuracy);
		}
		finally {
			delete(work);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach(file -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not delete {}: {}", directory, ex.toString());
		}
	}

}
