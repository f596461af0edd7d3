package dev.flywheel.monitoring.retraining;

/** What became of a trigger: the job it launched, or why it launched none. */
public record TriggerResult(RetrainingJob job, String refusal) {

	static TriggerResult launched(RetrainingJob job) {
		return new TriggerResult(job, null);
	}

	static TriggerResult refused(String why) {
		return new TriggerResult(null, why);
	}

	public boolean isLaunched() {
		return job != null;
	}

}
