package dev.flywheel.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.flywheel.bundle.BundleDigest;

/** SHA-256 of files and text, as lineage records them. */
public final class Digests {

	private Digests() {
	}

	public static String file(Path file) {
		try {
			return bytes(Files.readAllBytes(file));
		}
		catch (IOException ex) {
			throw new InvalidInputException(file + ": cannot be read: " + ex.getMessage());
		}
	}

	public static String bytes(byte[] bytes) {
		return BundleDigest.sha256(bytes);
	}

}
