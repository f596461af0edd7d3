package dev.flywheel.monitoring.retraining.launch;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobOutcomeTests {

	private static final TrainingOutput PUBLISHED = TrainingOutput.parse(TrainOutputSamples.PUBLISHED.lines());

	private static final TrainingOutput REJECTED = TrainingOutput.parse(TrainOutputSamples.REJECTED.lines());

	@Test
	void exitZeroSucceedsWithThePublishedVersion() {
		JobOutcome outcome = JobOutcome.exited(0, PUBLISHED, List.of("Gate: passed"));
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.newVersion()).isEqualTo("3");
		assertThat(outcome.reason()).isEqualTo("published iris-species version 3 as challenger");
		assertThat(JobOutcome.exited(0, TrainingOutput.NONE, List.of()).reason()).contains("names no model version");
	}

	@Test
	void exitOneWithAFailedGateIsARejectionAndWithoutItAFailure() {
		JobOutcome rejected = JobOutcome.exited(1, REJECTED, List.of());
		assertThat(rejected.status()).isEqualTo(OutcomeStatus.REJECTED);
		assertThat(rejected.newVersion()).isEqualTo("4");
		assertThat(rejected.reason())
			.startsWith("the validation gate rejected the candidate, iris-species version 4: [accuracy 0.7000");
		JobOutcome crashed = JobOutcome.exited(1, TrainingOutput.parse(Stream.of("java.lang.IllegalStateException")),
				List.of());
		assertThat(crashed.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(crashed.newVersion()).isNull();
		assertThat(crashed.reason()).startsWith("exited 1 without a gate verdict");
	}

	@Test
	void otherExitCodesFailWithTheirReason() {
		TrainingOutput error = TrainingOutput.parse(Stream.of("error: the dataset iris.csv does not exist"));
		assertThat(JobOutcome.exited(2, error, List.of()))
			.extracting(JobOutcome::status, JobOutcome::exitCode, JobOutcome::reason)
			.containsExactly(OutcomeStatus.FAILED, 2, "bad input (exit 2): the dataset iris.csv does not exist");
		assertThat(JobOutcome.exited(3, TrainingOutput.NONE, List.of()).reason()).contains("registry");
		assertThat(JobOutcome.exited(137, PUBLISHED, List.of()))
			.extracting(JobOutcome::status, JobOutcome::newVersion, JobOutcome::reason)
			.containsExactly(OutcomeStatus.FAILED, null, "killed by signal 9 (exit 137)");
		assertThat(JobOutcome.exited(42, TrainingOutput.NONE, List.of()).reason()).isEqualTo("exited with code 42");
	}

	@Test
	void timeOutsAndVanishedJobsHaveNoExitCodeAndTheReasonIsOneLine() {
		JobOutcome timedOut = JobOutcome.timedOut(Duration.ofMinutes(90), List.of("epoch 3/200"));
		assertThat(timedOut.status()).isEqualTo(OutcomeStatus.TIMED_OUT);
		assertThat(timedOut.exitCode()).isNull();
		assertThat(timedOut.reason()).isEqualTo("ran past its time limit of PT1H30M and was stopped");
		assertThat(JobOutcome.vanished("pid 42", List.of()).reason()).startsWith("the job's process (pid 42) is gone");
		assertThat(new JobOutcome(OutcomeStatus.FAILED, null, null, null, "two\nlines\r\n").reason())
			.isEqualTo("two lines");
	}

}
