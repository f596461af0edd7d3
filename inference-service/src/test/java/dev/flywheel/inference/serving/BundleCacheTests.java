package dev.flywheel.inference.serving;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleException;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.inference.support.TestModels;
import dev.flywheel.inference.support.TestProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bundle cache serves a cached bundle only while its content still hashes to the digest it is filed under; any
 * other copy is deleted, whatever is wrong with it. The registry here cannot be reached, so nothing is fetched.
 */
class BundleCacheTests {

	@TempDir
	Path home;

	@TempDir
	Path work;

	private BundleCache cache;

	private Path directory;

	@BeforeEach
	void cache() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		RegistryClient unreachable = new RegistryClient(URI.create("http://127.0.0.1:" + closed), null,
				Duration.ofSeconds(2));
		cache = new BundleCache(TestProperties.of(home, Map.of()), unreachable);
		directory = home.resolve("inference").resolve("bundles");
	}

	@Test
	void aBundleThatStillVerifiesIsServedFromTheCache() throws IOException {
		Bundle bundle = cached(bundle("one"));
		assertThat(cache.cached(bundle.digest())).hasValueSatisfying(read -> {
			assertThat(read.digest()).isEqualTo(bundle.digest());
			assertThat(read.directory()).isEqualTo(directory.resolve(bundle.digest()));
		});
		assertThat(cache.obtain("iris", "1", bundle.digest()).digest()).isEqualTo(bundle.digest());
	}

	@Test
	void nothingCachedIsEmpty() {
		assertThat(cache.cached("ab".repeat(32))).isEmpty();
	}

	@Test
	void aModelFileReplacedByAnotherIsDeleted() throws IOException {
		Bundle bundle = cached(bundle("one"));
		Files.copy(bundle("two").modelFile(), place(bundle).resolve(Bundle.MODEL_FILE),
				StandardCopyOption.REPLACE_EXISTING);
		assertRefused(bundle);
	}

	@Test
	void aModelFileThatIsNoLongerAZipIsDeleted() throws IOException {
		Bundle bundle = cached(bundle("one"));
		Files.write(place(bundle).resolve(Bundle.MODEL_FILE), new byte[] { 'P', 'K', 0, 0, 1, 2, 3 });
		assertRefused(bundle);
	}

	@Test
	void aChangedJsonFileIsDeleted() throws IOException {
		for (String file : new String[] { Bundle.SIGNATURE_FILE, Bundle.PROFILE_FILE, Bundle.METRICS_FILE }) {
			Bundle bundle = cached(bundle("one"));
			Path json = place(bundle).resolve(file);
			Files.writeString(json, Files.readString(json).replaceFirst("\\{", "{ "));
			assertRefused(bundle);
		}
	}

	@Test
	void anUnreadableLineageOutsideTheDigestIsDeletedToo() throws IOException {
		Bundle bundle = cached(bundle("one"));
		Files.writeString(place(bundle).resolve(Bundle.LINEAGE_FILE), "{\"dataset");
		assertRefused(bundle);
	}

	@Test
	void aBundleMissingAFileIsDeleted() throws IOException {
		Bundle bundle = cached(bundle("one"));
		Files.delete(place(bundle).resolve(Bundle.DESCRIPTOR_FILE));
		assertRefused(bundle);
	}

	@Test
	void aSoundBundleFiledUnderAnotherDigestIsDeleted() throws IOException {
		Bundle one = bundle("one");
		Bundle two = bundle("two");
		Files.createDirectories(directory);
		copy(two.directory(), directory.resolve(one.digest()));
		assertRefused(one);
	}

	@Test
	void aCorruptCopyWithTheRegistryUnreachableIsRefusedAndNotKept() throws IOException {
		Bundle bundle = cached(bundle("one"));
		Files.writeString(place(bundle).resolve(Bundle.SIGNATURE_FILE), "{}");
		assertThatThrownBy(() -> cache.obtain("iris", "1", bundle.digest())).isInstanceOf(BundleException.class)
			.hasMessageContaining("cannot be reached");
		assertThat(place(bundle)).doesNotExist();
		try (Stream<Path> left = Files.list(directory)) {
			assertThat(left).as("nothing left in the cache, no half download either").isEmpty();
		}
	}

	@Test
	void onlyDigestsNameCacheDirectories() {
		assertThatThrownBy(() -> cache.cached("../../etc")).isInstanceOf(BundleException.class)
			.hasMessageContaining("not a SHA-256 bundle digest");
		assertThatThrownBy(() -> cache.cached("AB".repeat(32))).isInstanceOf(BundleException.class);
	}

	private void assertRefused(Bundle bundle) {
		assertThat(cache.cached(bundle.digest())).as("the corrupt copy of " + bundle.digest()).isEmpty();
		assertThat(place(bundle)).as("the corrupt copy, deleted").doesNotExist();
	}

	private Path place(Bundle bundle) {
		return directory.resolve(bundle.digest());
	}

	/** Files a copy of {@code bundle} in the cache, as a verified download leaves it. */
	private Bundle cached(Bundle bundle) throws IOException {
		Files.createDirectories(directory);
		copy(bundle.directory(), place(bundle));
		return bundle;
	}

	/** A bundle whose model file is a small zip holding {@code content} (the cache never loads the model). */
	private Bundle bundle(String content) throws IOException {
		Path target = work.resolve(content);
		if (Files.exists(target.resolve(Bundle.DESCRIPTOR_FILE))) {
			return Bundle.read(target);
		}
		Path zip = work.resolve(content + ".zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			out.putNextEntry(new ZipEntry("weights.bin"));
			out.write(content.getBytes(StandardCharsets.UTF_8));
			out.closeEntry();
		}
		return TestModels.bundle(target, zip, TestModels.IRIS, content.hashCode());
	}

	private static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to);
		for (String file : Bundle.FILES) {
			Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
