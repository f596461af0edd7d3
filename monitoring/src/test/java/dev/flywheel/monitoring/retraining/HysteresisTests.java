package dev.flywheel.monitoring.retraining;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HysteresisTests {

	@Test
	void firesWhenTheConditionHeldInKOfTheLastNWindows() {
		Hysteresis drift = new Hysteresis(3, 4);
		assertThat(drift.look(true)).isFalse();
		assertThat(drift.look(true)).isFalse();
		assertThat(drift.look(false)).isFalse();
		assertThat(drift.look(true)).as("3 of the last 4").isTrue();
	}

	@Test
	void firesOnceAndAgainOnlyAfterTheConditionCleared() {
		Hysteresis drift = new Hysteresis(2, 3);
		drift.look(true);
		assertThat(drift.look(true)).isTrue();
		for (int window = 0; window < 10; window++) {
			assertThat(drift.look(true)).as("still drifting, window " + window).isFalse();
		}
		assertThat(drift.isArmed()).isFalse();
		assertThat(drift.look(false)).isFalse();
		assertThat(drift.isArmed()).isTrue();
		assertThat(drift.look(true)).as("1 of the last 3").isFalse();
		assertThat(drift.look(true)).isTrue();
	}

	@Test
	void isolatedAlarmsNeverFire() {
		Hysteresis drift = new Hysteresis(3, 4);
		for (int window = 0; window < 100; window++) {
			assertThat(drift.look(window % 3 == 0)).isFalse();
		}
	}

	@Test
	void refusesImpossibleSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Hysteresis(0, 3));
		assertThatIllegalArgumentException().isThrownBy(() -> new Hysteresis(4, 3));
	}

}
