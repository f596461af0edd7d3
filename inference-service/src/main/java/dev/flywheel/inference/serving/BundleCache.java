package dev.flywheel.inference.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleException;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * Bundles on local disk, one directory per digest ({@code <home>/inference/bundles/<digest>}), so the service can
 * start serving without the registry. A cached bundle is verified every time it is read: one whose content no longer
 * hashes to its digest is deleted, and fetched again when the registry can be reached. Downloads land in a staging
 * directory and are moved into place only once verified, so a crash never leaves a half bundle behind.
 */
@Component
public class BundleCache {

	private static final Logger logger = LoggerFactory.getLogger(BundleCache.class);

	private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

	private final Path directory;

	private final RegistryClient registry;

	public BundleCache(InferenceProperties properties, RegistryClient registry) {
		this.directory = properties.cacheDirectory();
		this.registry = registry;
	}

	/** The verified cached bundle with {@code digest}; empty when none is cached or the cached one was corrupt. */
	public Optional<Bundle> cached(String digest) {
		if (!DIGEST.matcher(digest).matches()) {
			throw new BundleException("'" + digest + "' is not a SHA-256 bundle digest");
		}
		Path bundleDirectory = directory.resolve(digest);
		if (!Files.isDirectory(bundleDirectory)) {
			return Optional.empty();
		}
		try {
			Bundle bundle = Bundle.read(bundleDirectory);
			if (bundle.digest().equals(digest)) {
				return Optional.of(bundle);
			}
			logger.warn("The cached bundle {} holds a bundle with digest {}; deleting it", bundleDirectory,
					bundle.digest());
		}
		catch (BundleException | UncheckedIOException ex) {
			logger.warn("The cached bundle {} is corrupt ({}); deleting it", bundleDirectory, ex.getMessage());
		}
		delete(bundleDirectory);
		return Optional.empty();
	}

	/**
	 * The bundle of {@code model}/{@code version}, whose registry tag says {@code digest}: from the cache when it
	 * verifies there, else downloaded from the registry and verified.
	 */
	public Bundle obtain(String model, String version, String digest) {
		return cached(digest).orElseGet(() -> {
			try {
				return registry.fetch(model, version, directory.resolve(digest));
			}
			catch (BundleException ex) {
				// another replica sharing this cache may have placed it meanwhile
				return cached(digest).orElseThrow(() -> ex);
			}
		});
	}

	private static void delete(Path bundleDirectory) {
		try (Stream<Path> files = Files.walk(bundleDirectory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete the corrupt bundle " + bundleDirectory, ex);
		}
	}

}
