package dev.flywheel.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
