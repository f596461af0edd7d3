package dev.flywheel.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The job's temporary working directories: made under the system's temp folder, removed when done. */
public final class TempDirectories {

	private TempDirectories() {
	}

	public static Path create(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory", ex);
		}
	}

	/** Deletes {@code directory} and everything in it; what cannot be deleted is left behind, unreferenced. */
	public static void deleteQuietly(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

}
