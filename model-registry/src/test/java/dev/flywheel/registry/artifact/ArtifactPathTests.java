package dev.flywheel.registry.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.flywheel.registry.mlflow.MlflowException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactPathTests {

	@ParameterizedTest
	@ValueSource(strings = { "../etc/passwd", "a/../../b", "%2e%2e/x", "%252e%252e/x", "a%2F..%2F..%2Fb", "/etc/passwd",
			"%2Fetc", "a\\b", "C:/windows", "a/b#c", "a%00b" })
	void refusesPathsThatCouldLeaveTheStore(String raw) {
		assertThatThrownBy(() -> ArtifactPath.parse(raw)).isInstanceOf(MlflowException.class)
			.hasMessage("Invalid path");
	}

	@Test
	void keepsPlainSegmentsAndDropsEmptyOnes() {
		assertThat(ArtifactPath.parse("1/abc/artifacts//model/./MLmodel")).hasToString("1/abc/artifacts/model/MLmodel");
		assertThat(ArtifactPath.parse("a%20b/c..d")).hasToString("a b/c..d");
		assertThat(ArtifactPath.parse("").isRoot()).isTrue();
	}

	@Test
	void readsStoreUris() {
		assertThat(ArtifactPath.fromUri("mlflow-artifacts:/7/r1/artifacts/model")).hasToString("7/r1/artifacts/model");
		assertThat(ArtifactPath.fromUri("mlflow-artifacts://host:5000/7/r1")).hasToString("7/r1");
		assertThat(ArtifactPath.parse("7/r1/artifacts/model/x").relativeTo(ArtifactPath.parse("7/r1/artifacts")))
			.isEqualTo("model/x");
	}

}
