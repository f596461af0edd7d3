package dev.flywheel.monitoring.retraining.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the training pipeline's {@code train} command printed, read from its output. On success (exit 0), and on a
 * rejection (exit 1: the version is registered without an alias), it ends with a report like:
 *
 * <pre class="code">
 * Run 5f0c2d7e9a4b4c1d8e3f6a7b8c9d0e1f in experiment 'iris-species' at http://127.0.0.1:5000
 * epoch 1/200  loss 1.0712  validation loss 1.0523  validation accuracy 0.6250  12s left
 * Model iris-species version 3 -&gt; alias challenger
 * Held-out metrics (30 rows): {accuracy=0.9666666666666667, log_loss=0.0871, macro_f1=0.9665}
 * Champion version 1 on the same rows: {accuracy=0.9666666666666667, log_loss=0.0902, macro_f1=0.9665}
 * Gate: passed
 * Bundle digest: 9b2f…(64 hex digits)
 * </pre>
 *
 * where a rejected candidate's lines read {@code Model iris-species version 4 (no alias)} and
 * {@code Gate: failed - [reason, reason]}. Failures print {@code error: message} on standard error, which the job's
 * log holds too. Each field is taken from the last line of its kind and is {@code null} when no line had it.
 *
 * @param runId the MLflow run of the job
 * @param model the registered model's name
 * @param version the model version registered for the candidate
 * @param alias the alias it got ({@code champion} or {@code challenger}); {@code null} when rejected
 * @param gatePassed whether the gate passed the candidate; {@code null} when the job stopped before the gate
 * @param gateReasons the gate's reasons for a rejection, as printed, such as
 * {@code [accuracy 0.9000 is below the minimum 0.9300]}
 * @param digest the bundle's digest
 * @param error the last {@code error:} line's message
 */
public record TrainingOutput(String runId, String model, String version, String alias, Boolean gatePassed,
		String gateReasons, String digest, String error) {

	private static final Pattern RUN = Pattern.compile("^Run (\\S+) in experiment '.*' at \\S+$");

	private static final Pattern MODEL_VERSION = Pattern
		.compile("^Model (.+) version (\\S+)(?: -> alias (\\S+)| \\(no alias\\))$");

	private static final Pattern GATE = Pattern.compile("^Gate: (passed|failed)(?: - (.*))?$");

	private static final Pattern DIGEST = Pattern.compile("^Bundle digest: (\\S+)$");

	private static final Pattern ERROR = Pattern.compile("^error: (.*)$");

	/** Output that said nothing this reader recognizes. */
	public static final TrainingOutput NONE = new TrainingOutput(null, null, null, null, null, null, null, null);

	/** Reads the lines the job printed. */
	public static TrainingOutput parse(Stream<String> lines) {
		Builder builder = new Builder();
		lines.forEach(builder::line);
		return builder.build();
	}

	/** Reads a job's log; a log that does not exist (yet) says nothing. */
	public static TrainingOutput read(Path log) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
			return parse(reader.lines());
		}
		catch (NoSuchFileException ex) {
			return NONE;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the training job's log " + log, ex);
		}
	}

	private static final class Builder {

		private String runId;

		private String model;

		private String version;

		private String alias;

		private Boolean gatePassed;

		private String gateReasons;

		private String digest;

		private String error;

		void line(String raw) {
			String line = raw.strip();
			Matcher matcher;
			if ((matcher = RUN.matcher(line)).matches()) {
				this.runId = matcher.group(1);
			}
			else if ((matcher = MODEL_VERSION.matcher(line)).matches()) {
				this.model = matcher.group(1);
				this.version = matcher.group(2);
				this.alias = matcher.group(3);
			}
			else if ((matcher = GATE.matcher(line)).matches()) {
				this.gatePassed = "passed".equals(matcher.group(1));
				this.gateReasons = matcher.group(2);
			}
			else if ((matcher = DIGEST.matcher(line)).matches()) {
				this.digest = matcher.group(1);
			}
			else if ((matcher = ERROR.matcher(line)).matches()) {
				this.error = matcher.group(1);
			}
		}

		TrainingOutput build() {
			return new TrainingOutput(this.runId, this.model, this.version, this.alias, this.gatePassed,
					this.gateReasons, this.digest, this.error);
		}

	}

}
