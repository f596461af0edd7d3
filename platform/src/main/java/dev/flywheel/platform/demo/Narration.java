package dev.flywheel.platform.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the demo tells its user: a numbered heading per step with a few lines of explanation, a live progress line
 * (rewritten in place on a terminal, printed every few seconds otherwise, e.g. into a log), and the summary table at
 * the end, one row per step with its result and how long it took.
 */
final class Narration {

	private static final long LOG_PROGRESS_EVERY_NANOS = 5_000_000_000L;

	private final PrintStream out;

	private final boolean terminal;

	private final long started = System.nanoTime();

	private final List<String[]> summary = new ArrayList<>();

	private int step;

	private long stepStarted;

	private String progress;

	private long progressPrinted;

	Narration(PrintStream out, boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	/** A new step: its title and what it is about. */
	void step(String title, String... explanation) {
		endProgress();
		step++;
		stepStarted = System.nanoTime();
		out.printf(Locale.ROOT, "%n[%s] %d. %s%n", clock(started), step, title);
		for (String line : explanation) {
			out.println("     " + line);
		}
	}

	/** A line of what happened in the step. */
	void say(String format, Object... arguments) {
		endProgress();
		out.println("     " + String.format(Locale.ROOT, format, arguments));
	}

	/** The step's live progress, replacing the previous. */
	void progress(String format, Object... arguments) {
		progress = String.format(Locale.ROOT, format, arguments);
		long now = System.nanoTime();
		if (terminal) {
			out.print("\r     " + progress + "\033[K");
			out.flush();
		}
		else if (now - progressPrinted >= LOG_PROGRESS_EVERY_NANOS) {
			out.println("     ... " + progress);
			progressPrinted = now;
		}
	}

	private void endProgress() {
		if (progress != null && terminal) {
			out.println();
		}
		progress = null;
		progressPrinted = 0;
	}

	/** The step's row of the summary table. */
	void result(String what, String result) {
		summary.add(new String[] { String.valueOf(step), what, result, seconds(stepStarted) });
	}

	/** The summary table of every step's result. */
	void summary() {
		endProgress();
		int[] widths = { 1, 4, 6, 4 };
		String[] header = { "#", "step", "result", "time" };
		List<String[]> rows = new ArrayList<>();
		rows.add(header);
		rows.addAll(summary);
		for (String[] row : rows) {
			for (int column = 0; column < row.length; column++) {
				widths[column] = Math.max(widths[column], row[column].length());
			}
		}
		out.println();
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder("  ");
			for (int column = 0; column < row.length; column++) {
				line.append(String.format(Locale.ROOT, "%-" + widths[column] + "s", row[column]))
					.append(column < row.length - 1 ? " | " : "");
			}
			out.println(line.toString().stripTrailing());
			if (row == header) {
				StringBuilder rule = new StringBuilder("  ");
				for (int column = 0; column < row.length; column++) {
					rule.append("-".repeat(widths[column])).append(column < row.length - 1 ? "-+-" : "");
				}
				out.println(rule);
			}
		}
		out.printf(Locale.ROOT, "%n  Whole demo: %s%n", seconds(started));
	}

	private static String seconds(long since) {
		return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - since) / 1e9);
	}

	private static String clock(long since) {
		long seconds = (System.nanoTime() - since) / 1_000_000_000L;
		return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
	}

}
