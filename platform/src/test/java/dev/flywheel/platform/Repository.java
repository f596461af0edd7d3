package dev.flywheel.platform;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, as the build passes it ({@code repository.root}), for tests that read its files. */
final class Repository {

	private Repository() {
	}

	static Path root() {
		String root = System.getProperty("repository.root");
		if (root == null) {
			throw new IllegalStateException("system property repository.root is not set: run the tests through Maven");
		}
		Path path = Path.of(root).toAbsolutePath().normalize();
		if (!Files.isRegularFile(path.resolve("flywheel"))) {
			throw new IllegalStateException("repository.root " + path + " holds no ./flywheel launcher");
		}
		return path;
	}

	static Path file(String relative) {
		return root().resolve(relative);
	}

}
