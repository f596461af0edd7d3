package dev.flywheel.monitoring.retraining.launch;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingOutputTests {

	@Test
	void readsThePublishedVersionAndItsAliasFromASuccessfulRun() {
		TrainingOutput output = TrainingOutput.parse(TrainOutputSamples.PUBLISHED.lines());
		assertThat(output).isEqualTo(new TrainingOutput("5f0c2d7e9a4b4c1d8e3f6a7b8c9d0e1f", "iris-species", "3",
				"challenger", true, null, TrainOutputSamples.DIGEST, null));
	}

	@Test
	void readsTheRegisteredVersionAndTheGateReasonsFromARejection() {
		TrainingOutput output = TrainingOutput.parse(TrainOutputSamples.REJECTED.lines());
		assertThat(output.version()).isEqualTo("4");
		assertThat(output.alias()).isNull();
		assertThat(output.gatePassed()).isFalse();
		assertThat(output.gateReasons()).startsWith("[accuracy 0.7000 is below the minimum 0.9300, ")
			.endsWith("more than the allowed 0.0100]");
	}

	@Test
	void readsModelNamesWithSpacesAndToleratesCarriageReturns() {
		TrainingOutput output = TrainingOutput
			.parse(Stream.of("Model my churn model version 12 -> alias champion\r", "Gate: passed\r"));
		assertThat(output.model()).isEqualTo("my churn model");
		assertThat(output.version()).isEqualTo("12");
		assertThat(output.alias()).isEqualTo("champion");
	}

	@Test
	void readsTheLastErrorAndNothingElseFromAFailure() {
		TrainingOutput output = TrainingOutput.parse(Stream.of("error: first", "Usage: training-pipeline train",
				"error: publishing failed: connection refused", "Champion version 1 on the same rows: {}"));
		assertThat(output).isEqualTo(new TrainingOutput(null, null, null, null, null, null, null,
				"publishing failed: connection refused"));
		assertThat(TrainingOutput.parse(Stream.empty())).isEqualTo(TrainingOutput.NONE);
	}

}
