package dev.flywheel.monitoring.retraining;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.flywheel.monitoring.retraining.RetrainingRules.PastJob;

import static org.assertj.core.api.Assertions.assertThat;

class RetrainingRulesTests {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final RetrainingRules rules = new RetrainingRules(new RetrainingSettings(Duration.ofHours(6), 3, 3,
			Duration.ofMinutes(5), Duration.ofHours(1)));

	private Optional<String> refusal(TriggerReason reason, List<PastJob> jobs) {
		return rules.refusal(reason, false, 1, NOW, jobs);
	}

	private static PastJob job(JobStatus status, Duration ago) {
		return new PastJob("job-" + ago.toMinutes(), status, NOW.minus(ago), 1);
	}

	@Test
	void aModelWithoutRecentJobsMayRetrain() {
		for (TriggerReason reason : TriggerReason.values()) {
			assertThat(refusal(reason, List.of())).as(reason.name()).isEmpty();
		}
		assertThat(refusal(TriggerReason.DRIFT, List.of(job(JobStatus.SUCCEEDED, Duration.ofHours(7))))).isEmpty();
	}

	@Test
	void aBurstOfTriggersWhileAJobRunsLaunchesNothing() {
		for (JobStatus active : new JobStatus[] { JobStatus.PREPARING, JobStatus.RUNNING }) {
			List<PastJob> jobs = List.of(job(active, Duration.ofHours(10)));
			for (TriggerReason reason : TriggerReason.values()) {
				assertThat(refusal(reason, jobs)).as(reason + " during " + active).hasValueSatisfying(
						why -> assertThat(why).contains("one job per model at a time"));
				assertThat(rules.refusal(reason, true, 1, NOW, jobs)).as("forced " + reason).isPresent();
			}
		}
	}

	@Test
	void aBurstOfTriggersDuringTheCoolDownLaunchesNothingUnlessAPersonForcesIt() {
		List<PastJob> jobs = List.of(job(JobStatus.SUCCEEDED, Duration.ofHours(5)));
		for (TriggerReason reason : List.of(TriggerReason.MANUAL, TriggerReason.DRIFT, TriggerReason.QUALITY,
				TriggerReason.NEW_LABELS, TriggerReason.SCHEDULE)) {
			assertThat(refusal(reason, jobs)).as(reason.name()).hasValueSatisfying(
					why -> assertThat(why).contains("cooling down until 2026-11-27T13:00:00Z"));
		}
		assertThat(rules.refusal(TriggerReason.MANUAL, true, 1, NOW, jobs)).isEmpty();
		assertThat(rules.refusal(TriggerReason.DRIFT, true, 1, NOW, jobs)).as("only a person can force").isPresent();
	}

	@Test
	void noMoreThanTheCapStartInADayForcedOrNot() {
		List<PastJob> jobs = new ArrayList<>();
		jobs.add(job(JobStatus.FAILED, Duration.ofHours(23)));
		jobs.add(job(JobStatus.SUCCEEDED, Duration.ofHours(16)));
		jobs.add(job(JobStatus.REJECTED, Duration.ofHours(8)));
		assertThat(rules.refusal(TriggerReason.MANUAL, true, 1, NOW, jobs)).hasValueSatisfying(
				why -> assertThat(why).contains("3 jobs of this model started in the last 24 hours"));
		assertThat(rules.refusal(TriggerReason.RETRY, false, 2, NOW, jobs)).isPresent();
		jobs.set(0, job(JobStatus.FAILED, Duration.ofHours(25)));
		assertThat(refusal(TriggerReason.DRIFT, jobs)).isEmpty();
	}

	@Test
	void aFailedJobIsRetriedAfterTheRetryDelayWithinTheAttempts() {
		List<PastJob> jobs = List.of(job(JobStatus.FAILED, Duration.ofMinutes(3)));
		assertThat(rules.refusal(TriggerReason.RETRY, false, 2, NOW, jobs)).hasValueSatisfying(
				why -> assertThat(why).contains("retry-delay"));
		List<PastJob> later = List.of(job(JobStatus.TIMED_OUT, Duration.ofMinutes(6)));
		assertThat(rules.refusal(TriggerReason.RETRY, false, 2, NOW, later)).isEmpty();
		assertThat(rules.refusal(TriggerReason.RETRY, false, 4, NOW, later)).hasValueSatisfying(
				why -> assertThat(why).contains("max-attempts"));
	}

}
