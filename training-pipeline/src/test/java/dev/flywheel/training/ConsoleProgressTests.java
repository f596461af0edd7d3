package dev.flywheel.training;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.flywheel.training.trainer.Trainer.EpochMetrics;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleProgressTests {

	@Test
	void redrawsOneLineAtATerminal() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
		for (int epoch = 1; epoch <= 4; epoch++) {
			progress.epoch(new EpochMetrics(epoch, 0.5, 0.4, 0.9), 4, Duration.ofSeconds(epoch * 3L));
		}
		String output = bytes.toString(StandardCharsets.UTF_8);
		assertThat(output.split("\r", -1)).hasSize(5);
		assertThat(output).contains("epoch 1/4  loss 0.5000  validation loss 0.4000  validation accuracy 0.9000  9s left")
			.endsWith("0s left   " + System.lineSeparator());
	}

	@Test
	void writesPlainLinesEveryTenthOfTheEpochsElsewhere() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
		for (int epoch = 1; epoch <= 100; epoch++) {
			progress.epoch(new EpochMetrics(epoch, 0.5, 0.4, 0.9), 100, Duration.ofSeconds(epoch));
		}
		String output = bytes.toString(StandardCharsets.UTF_8);
		assertThat(output).doesNotContain("\r");
		assertThat(output.lines()).hasSize(11).first().asString().startsWith("epoch 1/100");
		assertThat(output.lines()).last().asString().startsWith("epoch 100/100");
	}

}
