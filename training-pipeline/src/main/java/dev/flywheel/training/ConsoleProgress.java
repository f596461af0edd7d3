package dev.flywheel.training;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import dev.flywheel.training.trainer.Trainer;
import dev.flywheel.training.trainer.Trainer.EpochMetrics;

/**
 * Training progress for a person: at a terminal one line redrawn each epoch (epoch, losses, validation accuracy, time
 * left); elsewhere (CI, logs) a plain line every tenth of the epochs and at the end.
 */
final class ConsoleProgress implements Trainer.Progress {

	private final PrintStream out;

	private final boolean terminal;

	/** A redrawn line that still waits for its line break (training stopped before the last epoch). */
	private boolean lineOpen;

	ConsoleProgress(PrintStream out, boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	@Override
	public void epoch(EpochMetrics metrics, int epochs, Duration elapsed) {
		Duration left = elapsed.multipliedBy(epochs - metrics.epoch()).dividedBy(metrics.epoch());
		String line = String.format(Locale.ROOT,
				"epoch %d/%d  loss %.4f  validation loss %.4f  validation accuracy %.4f  %s left", metrics.epoch(),
				epochs, metrics.trainLoss(), metrics.validationLoss(), metrics.validationAccuracy(), format(left));
		if (terminal) {
			out.print("\r" + line + "   ");
			lineOpen = metrics.epoch() != epochs;
			if (!lineOpen) {
				out.println();
			}
		}
		else if (metrics.epoch() == 1 || metrics.epoch() % Math.max(1, epochs / 10) == 0 || metrics.epoch() == epochs) {
			out.println(line);
		}
		out.flush();
	}

	void done() {
		if (lineOpen) {
			out.println();
			lineOpen = false;
		}
	}

	private static String format(Duration duration) {
		long seconds = duration.toSeconds();
		return seconds >= 60 ? seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s" : seconds + "s";
	}

}
