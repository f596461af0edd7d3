package dev.flywheel.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.bundle.ReferenceProfile.NumericFeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleTests {

	@TempDir
	Path work;

	@Test
	void writesAndReadsBackEveryFile() throws IOException {
		Bundle written = TestBundles.write(work, "b1", 0.97);
		assertThat(Bundle.FILES).allSatisfy(file -> assertThat(written.directory().resolve(file)).isRegularFile());
		Bundle read = Bundle.read(written.directory());
		assertThat(read.signature()).isEqualTo(written.signature());
		assertThat(read.profile()).isEqualTo(written.profile());
		assertThat(read.metrics()).isEqualTo(written.metrics());
		assertThat(read.lineage()).isEqualTo(written.lineage());
		assertThat(read.digest()).isEqualTo(written.digest()).hasSize(64);
		assertThat(Files.readString(written.directory().resolve(Bundle.DESCRIPTOR_FILE)))
			.contains("bundle_digest: " + written.digest())
			.contains("dl4j_version: 1.0.0-M2.1");
	}

	@Test
	void theDigestDependsOnContentNotOnZipTimesOrLineage() throws IOException {
		Path zipA = TestBundles.modelZip(work.resolve("a.zip"), 1_600_000_000_000L, "w");
		Path zipB = TestBundles.modelZip(work.resolve("b.zip"), 1_700_000_000_000L, "w");
		assertThat(Files.readAllBytes(zipA)).isNotEqualTo(Files.readAllBytes(zipB));
		Bundle a = Bundle.write(work.resolve("a"), zipA, TestBundles.signature(), TestBundles.profile(),
				TestBundles.metrics(0.9), TestBundles.lineage("2026-01-01T00:00:00Z"));
		Bundle b = Bundle.write(work.resolve("b"), zipB, TestBundles.signature(), TestBundles.profile(),
				TestBundles.metrics(0.9), TestBundles.lineage("2026-06-01T12:00:00Z"));
		assertThat(a.digest()).isEqualTo(b.digest());

		Bundle otherWeights = Bundle.write(work.resolve("c"),
				TestBundles.modelZip(work.resolve("c.zip"), 1_600_000_000_000L, "w2"), TestBundles.signature(),
				TestBundles.profile(), TestBundles.metrics(0.9), TestBundles.lineage("2026-01-01T00:00:00Z"));
		Bundle otherMetrics = Bundle.write(work.resolve("d"), zipA, TestBundles.signature(), TestBundles.profile(),
				TestBundles.metrics(0.8), TestBundles.lineage("2026-01-01T00:00:00Z"));
		assertThat(List.of(otherWeights.digest(), otherMetrics.digest())).doesNotContain(a.digest());
	}

	@Test
	void aTamperedBundleIsRefused() throws IOException {
		Bundle bundle = TestBundles.write(work, "tampered", 0.95);
		Files.writeString(bundle.directory().resolve(Bundle.METRICS_FILE),
				Files.readString(bundle.directory().resolve(Bundle.METRICS_FILE)).replace("0.95", "0.99"));
		assertThatThrownBy(() -> Bundle.read(bundle.directory())).isInstanceOf(BundleDigestMismatchException.class)
			.hasMessageContaining(bundle.digest());
	}

	@Test
	void aMissingFileIsNamed() throws IOException {
		Bundle bundle = TestBundles.write(work, "incomplete", 0.95);
		Files.delete(bundle.directory().resolve(Bundle.PROFILE_FILE));
		assertThatThrownBy(() -> Bundle.read(bundle.directory())).isInstanceOf(BundleException.class)
			.hasMessageContaining("has no profile.json");
	}

	@Test
	void refusesToOverwriteABundle() throws IOException {
		Bundle bundle = TestBundles.write(work, "once", 0.95);
		assertThatThrownBy(() -> Bundle.write(bundle.directory(), bundle.modelFile(), bundle.signature(),
				bundle.profile(), bundle.metrics(), bundle.lineage()))
			.isInstanceOf(BundleException.class)
			.hasMessageContaining("already holds a bundle");
	}

	@Test
	void numericProfilesHaveQuantileBinsThatCountEveryRow() {
		double[] values = new double[100];
		for (int i = 0; i < values.length; i++) {
			values[i] = i;
		}
		values[99] = Double.NaN;
		NumericFeature feature = NumericFeature.of(values, 4);
		assertThat(feature.binEdges()).containsExactly(0.0, 24.5, 49.0, 73.5, 98.0);
		assertThat(feature.binCounts()).containsExactly(25L, 24L, 25L, 25L);
		assertThat(feature.binCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(99);
		assertThat(feature.nullShare()).isEqualTo(0.01);
		assertThat(feature.mean()).isEqualTo(49.0);
		assertThat(feature.binOf(-5)).isZero();
		assertThat(feature.binOf(1000)).isEqualTo(3);
	}

	@Test
	void aConstantFeatureHasOneBin() {
		NumericFeature feature = NumericFeature.of(new double[] { 2, 2, 2 }, 10);
		assertThat(feature.binEdges()).containsExactly(2.0, 2.0);
		assertThat(feature.binCounts()).containsExactly(3L);
	}

	@Test
	void signaturesRefuseWhatCannotBeServed() {
		assertThatThrownBy(() -> Signature.Input.categorical("colour", List.of())).hasMessageContaining("categories");
		assertThatThrownBy(() -> Signature.Output.classification(List.of("only"))).hasMessageContaining("two classes");
		assertThatThrownBy(() -> new Signature(List.of(Signature.Input.numeric("x"), Signature.Input.numeric("x")),
				Signature.Output.classification(List.of("a", "b"))))
			.hasMessageContaining("unique");
	}

}
