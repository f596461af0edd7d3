package dev.flywheel.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.flywheel.bundle.HeldOutMetrics.ClassMetrics;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import dev.flywheel.bundle.ReferenceProfile.Predictions;
import dev.flywheel.bundle.Signature.Input;
import dev.flywheel.bundle.Signature.Output;

/** Small, complete bundles for tests: an iris-shaped signature, profile, metrics and a model zip. */
public final class TestBundles {

	private TestBundles() {
	}

	/** A zip with the entries of a DL4J model file, written at {@code entryTime}. */
	public static Path modelZip(Path file, long entryTime, String coefficients) throws IOException {
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (String[] entry : new String[][] { { "configuration.json", "{\"layers\":2}" },
					{ "coefficients.bin", coefficients }, { "updaterState.bin", "adam" } }) {
				ZipEntry zipEntry = new ZipEntry(entry[0]);
				zipEntry.setTime(entryTime);
				zip.putNextEntry(zipEntry);
				zip.write(entry[1].getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return file;
	}

	public static Signature signature() {
		return new Signature(List.of(Input.numeric("sepal_length"), Input.numeric("petal_length"),
				Input.categorical("garden", List.of("kew", "wisley"))),
				Output.classification(List.of("setosa", "versicolor", "virginica")));
	}

	public static ReferenceProfile profile() {
		double[] sepal = { 5.1, 4.9, 4.7, 4.6, 5.0, 7.0, 6.4, 6.9, 5.5, 6.5, 6.3, 5.8, 7.1, 6.3, 6.5 };
		double[] petal = { 1.4, 1.4, 1.3, 1.5, 1.4, 4.7, 4.5, 4.9, 4.0, 4.6, 6.0, 5.1, 5.9, 5.6, 5.8 };
		return new ReferenceProfile(15,
				Map.of("sepal_length", NumericFeature.of(sepal, 4), "petal_length", NumericFeature.of(petal, 4)),
				Map.of("garden", new ReferenceProfile.CategoricalFeature(Map.of("kew", 9L, "wisley", 6L), 0.0)),
				new Predictions(Map.of("setosa", 5L, "versicolor", 5L, "virginica", 5L), null));
	}

	public static HeldOutMetrics metrics(double accuracy) {
		return new HeldOutMetrics(30, Map.of("accuracy", accuracy, "macro_f1", accuracy - 0.01, "log_loss", 0.12),
				Map.of("setosa", new ClassMetrics(10, 1.0, 1.0, 1.0)),
				List.of(List.of(10L, 0L, 0L), List.of(0L, 9L, 1L), List.of(0L, 0L, 10L)));
	}

	public static Lineage lineage(String startedAt) {
		return new Lineage(List.of(new Lineage.Dataset("datasets/iris.csv", "ab".repeat(32), 150, "base")),
				"cd".repeat(32), 42, new Lineage.Code("0.1.0-SNAPSHOT", "unknown"),
				new Lineage.Runtime("17.0.15", "1.0.0-M2.1", "Linux", "amd64", 1, "Haswell", "host-a"), null, null,
				startedAt, startedAt);
	}

	/** A complete bundle in {@code directory}. */
	public static Bundle write(Path work, String name, double accuracy) throws IOException {
		Path zip = modelZip(work.resolve(name + "-model.zip"), 1_700_000_000_000L, "weights-" + accuracy);
		return Bundle.write(work.resolve(name), zip, signature(), profile(), metrics(accuracy),
				lineage("2026-11-27T00:00:00Z"));
	}

}
