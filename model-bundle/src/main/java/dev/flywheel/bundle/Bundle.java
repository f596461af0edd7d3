package dev.flywheel.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model bundle: the directory the registry keeps as a version's {@code model/} artifacts.
 *
 * <pre>
 * MLmodel          MLflow-style descriptor: flavors.dl4j {model_file, dl4j_version}, signature, bundle_digest
 * model.zip        DL4J ModelSerializer file, normalizer included
 * signature.json   {@link Signature}
 * profile.json     {@link ReferenceProfile}
 * metrics.json     {@link HeldOutMetrics}
 * lineage.json     {@link Lineage}
 * </pre>
 */
public record Bundle(Path directory, Signature signature, ReferenceProfile profile, HeldOutMetrics metrics,
		Lineage lineage, String digest) {

	public static final String DESCRIPTOR_FILE = "MLmodel";

	public static final String MODEL_FILE = "model.zip";

	public static final String SIGNATURE_FILE = "signature.json";

	public static final String PROFILE_FILE = "profile.json";

	public static final String METRICS_FILE = "metrics.json";

	public static final String LINEAGE_FILE = "lineage.json";

	/** Every file of a bundle, the descriptor last: a reader that finds it knows the rest was there before it. */
	public static final List<String> FILES = List.of(MODEL_FILE, SIGNATURE_FILE, PROFILE_FILE, METRICS_FILE,
			LINEAGE_FILE, DESCRIPTOR_FILE);

	/** The registry tag under which a model version records its bundle digest. */
	public static final String DIGEST_TAG = "flywheel.digest";

	private static final Pattern DIGEST_LINE = Pattern.compile("(?m)^bundle_digest:\\s*([0-9a-f]{64})\\s*$");

	public Bundle {
		Objects.requireNonNull(directory, "directory");
		Objects.requireNonNull(signature, "signature");
		Objects.requireNonNull(profile, "profile");
		Objects.requireNonNull(metrics, "metrics");
		Objects.requireNonNull(lineage, "lineage");
		Objects.requireNonNull(digest, "digest");
	}

	public Path modelFile() {
		return directory.resolve(MODEL_FILE);
	}

	/**
	 * Writes a bundle into {@code directory} (created; it must not hold a bundle already) from a DL4J model file and
	 * its descriptions, computes its digest and writes the descriptor with it.
	 */
	public static Bundle write(Path directory, Path modelZip, Signature signature, ReferenceProfile profile,
			HeldOutMetrics metrics, Lineage lineage) {
		try {
			Files.createDirectories(directory);
			if (Files.exists(directory.resolve(DESCRIPTOR_FILE))) {
				throw new BundleException(directory + " already holds a bundle");
			}
			Files.copy(modelZip, directory.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
			BundleJson.write(directory.resolve(SIGNATURE_FILE), signature);
			BundleJson.write(directory.resolve(PROFILE_FILE), profile);
			BundleJson.write(directory.resolve(METRICS_FILE), metrics);
			BundleJson.write(directory.resolve(LINEAGE_FILE), lineage);
			String digest = BundleDigest.of(directory);
			Files.writeString(directory.resolve(DESCRIPTOR_FILE), descriptor(lineage, digest), StandardCharsets.UTF_8);
			return new Bundle(directory, signature, profile, metrics, lineage, digest);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the bundle in " + directory, ex);
		}
	}

	/**
	 * Reads the bundle in {@code directory} and checks that its content hashes to the digest its descriptor records.
	 *
	 * @throws BundleDigestMismatchException when it does not
	 * @throws BundleException when a file is missing or malformed
	 */
	public static Bundle read(Path directory) {
		for (String file : FILES) {
			if (!Files.isRegularFile(directory.resolve(file))) {
				throw new BundleException("The bundle in " + directory + " has no " + file);
			}
		}
		String recorded = recordedDigest(directory);
		String actual = BundleDigest.of(directory);
		if (!actual.equals(recorded)) {
			throw new BundleDigestMismatchException("in " + directory, recorded, actual);
		}
		return new Bundle(directory, BundleJson.read(directory.resolve(SIGNATURE_FILE), Signature.class),
				BundleJson.read(directory.resolve(PROFILE_FILE), ReferenceProfile.class),
				BundleJson.read(directory.resolve(METRICS_FILE), HeldOutMetrics.class),
				BundleJson.read(directory.resolve(LINEAGE_FILE), Lineage.class), actual);
	}

	/** The digest the descriptor of the bundle in {@code directory} records. */
	public static String recordedDigest(Path directory) {
		try {
			Matcher matcher = DIGEST_LINE.matcher(Files.readString(directory.resolve(DESCRIPTOR_FILE)));
			if (!matcher.find()) {
				throw new BundleException(DESCRIPTOR_FILE + " in " + directory + " has no bundle_digest");
			}
			return matcher.group(1);
		}
		catch (IOException ex) {
			throw new BundleException("Cannot read " + DESCRIPTOR_FILE + " in " + directory, ex);
		}
	}

	private static String descriptor(Lineage lineage, String digest) {
		String dl4j = lineage.runtime() == null ? Lineage.UNKNOWN : lineage.runtime().dl4j();
		return """
				artifact_path: model
				flavors:
				  dl4j:
				    model_file: %s
				    dl4j_version: %s
				signature:
				  file: %s
				bundle_digest: %s
				flywheel_bundle_format: 1
				""".formatted(MODEL_FILE, dl4j, SIGNATURE_FILE, digest);
	}

}
