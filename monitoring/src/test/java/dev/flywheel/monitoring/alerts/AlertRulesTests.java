package dev.flywheel.monitoring.alerts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.flywheel.support.testing.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The alert rules in {@code monitoring/alerts/} pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}): each alert fires on the series it is about, after its {@code for}, with its labels
 * and annotations, and stays quiet otherwise.
 */
class AlertRulesTests {

	private static final Path ALERTS = Path.of("alerts");

	@Test
	void promtoolFindsTheRulesValid() throws Exception {
		String report = promtool("check", "rules", "flywheel.rules.yml");
		assertThat(report).contains("SUCCESS: 9 rules found");
	}

	@Test
	void theRulesPassTheirUnitTests() throws Exception {
		String report = promtool("test", "rules", "flywheel.rules.test.yml");
		assertThat(report).contains("SUCCESS");
	}

	/** Runs promtool in the alerts directory; fails with what it said unless it exits 0. */
	private static String promtool(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(ExternalTool.require("promtool", "prometheus", "the alert rules cannot be checked").toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(ALERTS.toFile()).redirectErrorStream(true).start();
		String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		assertThat(process.exitValue()).as("promtool " + String.join(" ", arguments) + " said:\n" + report).isZero();
		return report;
	}


}
