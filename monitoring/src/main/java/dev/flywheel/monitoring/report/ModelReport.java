package dev.flywheel.monitoring.report;

import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.flywheel.monitoring.drifting.DriftMonitor.VersionWindow;
import dev.flywheel.monitoring.quality.VersionQuality;
import dev.flywheel.monitoring.retraining.RetrainingJob;

/**
 * What a model's report shows.
 *
 * @param drift each version's live window against its reference, with its latest judgement
 * @param quality live quality per day (oldest first), each day's versions
 * @param abTests the router's A/B tests of the model, or null when the router could not be asked
 * @param abTestsProblem why they are missing, or null
 * @param jobs the model's retraining jobs, newest first
 */
record ModelReport(String model, long generatedAt, List<VersionWindow> drift, List<Day> quality, List<JsonNode> abTests,
		String abTestsProblem, List<RetrainingJob> jobs) {

	/** One day's live quality ({@code from} in epoch milliseconds). */
	record Day(long from, List<VersionQuality> versions) {
	}

}
