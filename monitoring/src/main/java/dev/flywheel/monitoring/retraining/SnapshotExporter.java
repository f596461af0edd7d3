package dev.flywheel.monitoring.retraining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.support.Database;

/**
 * Exports a model's labelled production data (each logged prediction joined with the label its feedback gave, in
 * prediction id order) as a CSV with the given feature columns and the label column, as the training pipeline reads a
 * dataset; the file is named by the SHA-256 of its bytes under the snapshot directory.
 */
@Component
class SnapshotExporter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> FEATURES = new TypeReference<>() {
	};

	private final Database database;

	SnapshotExporter(Database database) {
		this.database = database;
	}

	Mono<Snapshot> export(String model, List<String> features, String label, Path directory) {
		StringBuilder csv = new StringBuilder();
		for (String feature : features) {
			csv.append(field(feature)).append(',');
		}
		csv.append(field(label)).append('\n');
		return database.read(client -> client.sql("SELECT p.features, f.label FROM logged_prediction p "
				+ "JOIN feedback f ON f.prediction_id = p.prediction_id "
				+ "WHERE p.model_name = :model AND f.label IS NOT NULL ORDER BY p.prediction_id")
			.bind("model", model)
			.map(row -> {
				Map<String, Object> values = JSON.readValue(row.get("features", String.class), FEATURES);
				StringBuilder line = new StringBuilder();
				for (String feature : features) {
					Object value = values.get(feature);
					line.append(value == null ? "" : field(text(value))).append(',');
				}
				return line.append(field(row.get("label", String.class))).append('\n').toString();
			})
			.all()
			.reduce(new long[] { 0 }, (count, line) -> {
				csv.append(line);
				count[0]++;
				return count;
			}))
			.publishOn(Schedulers.boundedElastic())
			.map(count -> write(csv.toString().getBytes(StandardCharsets.UTF_8), count[0], directory));
	}

	private static Snapshot write(byte[] bytes, long rows, Path directory) {
		try {
			String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
			Files.createDirectories(directory);
			Path file = directory.resolve("snapshot-" + digest + ".csv");
			if (!Files.exists(file)) {
				Path partial = Files.createTempFile(directory, "snapshot-", ".partial");
				Files.write(partial, bytes);
				Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			return new Snapshot(file, digest, rows);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the snapshot under " + directory, ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A number as the log had it (an integer without a fraction), a category as its text. */
	private static String text(Object value) {
		if (value instanceof Number number) {
			double d = number.doubleValue();
			return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
		}
		return value.toString();
	}

	/** A CSV field, quoted when it holds a comma, a quote or a line break. */
	private static String field(String value) {
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
			return value;
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
