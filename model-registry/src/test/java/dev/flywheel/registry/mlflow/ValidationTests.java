package dev.flywheel.registry.mlflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTests {

	@ParameterizedTest
	@ValueSource(strings = { "bad!key", "a/../b", "/abs", "./a", "a//b", "a/", "." })
	void rejectsKeysMlflowRejects(String key) {
		assertThatThrownBy(() -> Validation.key("metric", key)).isInstanceOf(MlflowException.class)
			.hasMessageStartingWith("Invalid metric name");
	}

	@ParameterizedTest
	@ValueSource(strings = { "loss", "val/loss", "a.b-c d:e", "métrique_1" })
	void acceptsKeysMlflowAccepts(String key) {
		assertThatCode(() -> Validation.key("metric", key)).doesNotThrowAnyException();
	}

	@Test
	void limitsKeyLength() {
		assertThatCode(() -> Validation.key("param", "k".repeat(250))).doesNotThrowAnyException();
		assertThatThrownBy(() -> Validation.key("param", "k".repeat(251))).hasMessageContaining("length limit of 250");
	}

	@ParameterizedTest
	@ValueSource(strings = { "latest", "LATEST", "v3", "V12", "has space", "a/b", "" })
	void rejectsReservedOrMalformedAliases(String alias) {
		assertThatThrownBy(() -> Validation.alias(alias)).isInstanceOf(MlflowException.class);
	}

	@Test
	void acceptsOrdinaryAliases() {
		assertThatCode(() -> Validation.alias("champion")).doesNotThrowAnyException();
		assertThatCode(() -> Validation.alias("challenger-2_b")).doesNotThrowAnyException();
	}

	@Test
	void limitsBatchSizes() {
		assertThatCode(() -> Validation.batch(1000, 0, 0)).doesNotThrowAnyException();
		assertThatThrownBy(() -> Validation.batch(1001, 0, 0)).hasMessageContaining("at most 1000 metrics");
		assertThatThrownBy(() -> Validation.batch(0, 101, 0)).hasMessageContaining("at most 100 params");
		assertThatThrownBy(() -> Validation.batch(900, 100, 1)).hasMessageContaining("1001 total entities");
	}

}
