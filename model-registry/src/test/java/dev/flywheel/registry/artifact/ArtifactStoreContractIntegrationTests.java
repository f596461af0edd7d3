package dev.flywheel.registry.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.util.unit.DataSize;

import dev.flywheel.registry.artifact.ArtifactStore.Entry;
import dev.flywheel.registry.artifact.ArtifactStore.StoredFile;
import dev.flywheel.registry.mlflow.ErrorCode;
import dev.flywheel.registry.mlflow.MlflowException;
import dev.flywheel.registry.support.S3ProxyServer;

import static dev.flywheel.registry.artifact.ArtifactBodies.body;
import static dev.flywheel.registry.artifact.ArtifactBodies.random;
import static dev.flywheel.registry.artifact.ArtifactBodies.read;
import static dev.flywheel.registry.artifact.ArtifactBodies.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every artifact store does, run against the local store and the S3 store (on S3Proxy): bytes and digests
 * round-trip and replace, a missing file is {@code RESOURCE_DOES_NOT_EXIST}, listings hold the direct children sorted
 * by name, walks every file sorted by path, deletes take a file or a tree and ignore what is missing, and an upload
 * over the limit leaves nothing.
 */
class ArtifactStoreContractIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static LocalArtifactStore local;

	private static S3ArtifactStore s3;

	@BeforeAll
	static void stores() throws IOException {
		local = new LocalArtifactStore(Files.createTempDirectory("flywheel-artifacts-").resolve("store"));
		S3ProxyServer server = S3ProxyServer.shared();
		s3 = S3ArtifactStore.create(server.settings(server.newBucket(), "contract", DataSize.ofMegabytes(8),
				DataSize.ofMegabytes(8)));
	}

	@AfterAll
	static void close() {
		s3.close();
	}

	/** The stores outlive each test: JUnit would otherwise close the S3 store, an argument that is AutoCloseable. */
	static Stream<Arguments> eachStore() {
		return Stream.of(Arguments.of(Named.of("local", local)), Arguments.of(Named.of("s3", s3)));
	}

	@DisplayName("round-trips bytes with their size and SHA-256, and replaces them")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void roundTripsAndReplaces(ArtifactStore store) {
		ArtifactPath path = unique().resolve("model/weights.bin");
		byte[] bytes = random(300_000);
		StoredFile stored = store.write(path, body(bytes, 8192), Long.MAX_VALUE).block(WAIT);
		assertThat(stored).isEqualTo(new StoredFile(path, bytes.length, sha256(bytes)));
		assertThat(read(store, path)).isEqualTo(bytes);
		assertThat(store.isFile(path).block(WAIT)).isTrue();

		byte[] replacement = random(10);
		assertThat(store.write(path, body(replacement, 4), 10).block(WAIT).sha256()).isEqualTo(sha256(replacement));
		assertThat(read(store, path)).isEqualTo(replacement);

		ArtifactPath empty = unique().resolve("empty.txt");
		assertThat(store.write(empty, body(new byte[0], 1), 10).block(WAIT).size()).isZero();
		assertThat(read(store, empty)).isEmpty();
	}

	@DisplayName("reads a missing file as RESOURCE_DOES_NOT_EXIST")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void missingFileIsResourceDoesNotExist(ArtifactStore store) {
		ArtifactPath directory = unique();
		write(store, directory.resolve("present.txt"), "x");
		for (ArtifactPath missing : List.of(directory.resolve("absent.txt"), directory, ArtifactPath.ROOT)) {
			assertThatThrownBy(() -> read(store, missing)).as(missing.toString())
				.isInstanceOfSatisfying(MlflowException.class,
						ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
				.hasMessage("Artifact '" + missing + "' does not exist");
			assertThat(store.isFile(missing).block(WAIT)).as(missing.toString()).isFalse();
		}
	}

	@DisplayName("lists the direct children sorted by name, directories without a size")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void listsDirectChildren(ArtifactStore store) {
		ArtifactPath directory = unique();
		write(store, directory.resolve("b.txt"), "bb");
		write(store, directory.resolve("a.txt"), "abc");
		write(store, directory.resolve("sub/c.txt"), "c");
		write(store, directory.resolve("sub/deeper/d.txt"), "d");

		assertThat(store.list(directory).block(WAIT)).containsExactly(
				new Entry(directory.resolve("a.txt"), false, 3L), new Entry(directory.resolve("b.txt"), false, 2L),
				new Entry(directory.resolve("sub"), true, null));
		assertThat(store.list(directory.resolve("sub")).block(WAIT)).containsExactly(
				new Entry(directory.resolve("sub/c.txt"), false, 1L),
				new Entry(directory.resolve("sub/deeper"), true, null));
		assertThat(store.list(ArtifactPath.ROOT).block(WAIT)).contains(new Entry(directory, true, null));
		assertThat(store.list(directory.resolve("a.txt")).block(WAIT)).isEmpty();
		assertThat(store.list(directory.resolve("missing")).block(WAIT)).isEmpty();
	}

	@DisplayName("walks every file under a directory, sorted by path")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void walksEveryFile(ArtifactStore store) {
		ArtifactPath directory = unique();
		write(store, directory.resolve("z.txt"), "z");
		write(store, directory.resolve("m/deeper/x.bin"), "xxxx");
		write(store, directory.resolve("m/a.txt"), "aa");

		assertThat(store.walk(directory).block(WAIT)).containsExactly(
				new Entry(directory.resolve("m/a.txt"), false, 2L),
				new Entry(directory.resolve("m/deeper/x.bin"), false, 4L),
				new Entry(directory.resolve("z.txt"), false, 1L));
		assertThat(store.walk(directory.resolve("m/deeper")).block(WAIT))
			.containsExactly(new Entry(directory.resolve("m/deeper/x.bin"), false, 4L));
		assertThat(store.walk(directory.resolve("z.txt")).block(WAIT)).isEmpty();
		assertThat(store.walk(directory.resolve("missing")).block(WAIT)).isEmpty();
	}

	@DisplayName("deletes a file or a whole tree, and a missing path quietly")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void deletesFilesAndTrees(ArtifactStore store) {
		ArtifactPath directory = unique();
		write(store, directory.resolve("keep.txt"), "keep");
		write(store, directory.resolve("gone.txt"), "gone");
		write(store, directory.resolve("tree/x.txt"), "x");
		write(store, directory.resolve("tree/y/z.txt"), "z");

		store.delete(directory.resolve("gone.txt")).block(WAIT);
		assertThat(store.isFile(directory.resolve("gone.txt")).block(WAIT)).isFalse();
		store.delete(directory.resolve("tree")).block(WAIT);
		assertThat(store.walk(directory).block(WAIT))
			.containsExactly(new Entry(directory.resolve("keep.txt"), false, 4L));
		store.delete(directory.resolve("never/there.txt")).block(WAIT);
		store.delete(ArtifactPath.ROOT).block(WAIT);
		assertThat(store.isFile(directory.resolve("keep.txt")).block(WAIT)).isTrue();
	}

	@DisplayName("refuses an upload over the limit and leaves nothing behind")
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("eachStore")
	void uploadOverTheLimitLeavesNothing(ArtifactStore store) {
		ArtifactPath directory = unique();
		ArtifactPath path = directory.resolve("too-big.bin");
		assertThatThrownBy(() -> store.write(path, body(random(50_000), 4096), 20_000).block(WAIT))
			.isInstanceOf(DataBufferLimitException.class);
		assertThat(store.isFile(path).block(WAIT)).isFalse();
		assertThat(store.list(directory).block(WAIT)).isEmpty();
		assertThatThrownBy(() -> store.write(ArtifactPath.ROOT, body(random(1), 1), 10).block(WAIT))
			.isInstanceOf(MlflowException.class)
			.hasMessageContaining("Invalid path");
	}

	private static void write(ArtifactStore store, ArtifactPath path, String text) {
		store.write(path, body(text.getBytes(StandardCharsets.UTF_8), 2), 1024).block(WAIT);
	}

	private static ArtifactPath unique() {
		return ArtifactPath.parse(UUID.randomUUID().toString());
	}

}
