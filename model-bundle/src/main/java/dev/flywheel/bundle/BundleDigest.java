package dev.flywheel.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The canonical {@code bundle_digest}: SHA-256 over the content of {@code model.zip}'s entries (by name, not the zip
 * bytes, whose entry times differ from save to save) and over {@code signature.json}, {@code profile.json} and
 * {@code metrics.json} as written. {@code lineage.json} and {@code MLmodel} are left out: they hold times, hosts and
 * the digest itself. The same data, spec and seed give the same digest on any run.
 */
public final class BundleDigest {

	private BundleDigest() {
	}

	public static String of(Path directory) {
		StringBuilder manifest = new StringBuilder();
		Path model = directory.resolve(Bundle.MODEL_FILE);
		try (ZipFile zip = new ZipFile(model.toFile())) {
			TreeMap<String, ZipEntry> entries = new TreeMap<>();
			for (ZipEntry entry : Collections.list(zip.entries())) {
				entries.put(entry.getName(), entry);
			}
			for (var entry : entries.entrySet()) {
				try (InputStream in = zip.getInputStream(entry.getValue())) {
					manifest.append(Bundle.MODEL_FILE).append('!').append(entry.getKey()).append('\t')
						.append(sha256(in.readAllBytes())).append('\n');
				}
			}
		}
		catch (IOException ex) {
			throw new BundleException(Bundle.MODEL_FILE + " in " + directory + " is missing or not a zip: " + ex.getMessage(),
					ex);
		}
		for (String file : new String[] { Bundle.SIGNATURE_FILE, Bundle.PROFILE_FILE, Bundle.METRICS_FILE }) {
			try {
				manifest.append(file).append('\t').append(sha256(Files.readAllBytes(directory.resolve(file)))).append('\n');
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + file + " in " + directory, ex);
			}
		}
		return sha256(manifest.toString().getBytes(StandardCharsets.UTF_8));
	}

	/** The hex SHA-256 of {@code bytes}, the one checksum the bundle and its lineage use. */
	public static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
