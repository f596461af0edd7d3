package dev.flywheel.registry;

import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code flywheel.security.token} set, writes need the bearer token; reads and searches do not. */
class WriteTokenIntegrationTests extends RegistryTestSupport {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		registry.add("flywheel.security.token", () -> "s3cret-token");
	}

	@Test
	void writesWithoutTheTokenAreRefusedWithUnauthenticated() {
		assertThatThrownBy(() -> mlflow().createExperiment("no-token")).isInstanceOfSatisfying(
				MlflowHttpException.class, ex -> {
					assertThat(ex.getStatusCode()).isEqualTo(401);
					assertThat(ex.getBodyMessage()).contains("UNAUTHENTICATED");
				});
		var artifact = sendBytes("PUT", "/api/2.0/mlflow-artifacts/artifacts/0/x/file.txt", new byte[] { 1 });
		assertThat(artifact.statusCode()).isEqualTo(401);
		assertThat(artifact.headers().firstValue("WWW-Authenticate")).contains("Bearer");
		assertThat(send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\":\"m\"}").statusCode())
			.isEqualTo(401);
	}

	@Test
	void aWrongTokenIsRefused() {
		MlflowClient wrong = new MlflowClient(new BasicMlflowHostCreds(baseUrl(), "not-the-token"));
		assertThatThrownBy(() -> wrong.createExperiment("wrong-token")).isInstanceOfSatisfying(
				MlflowHttpException.class, ex -> assertThat(ex.getStatusCode()).isEqualTo(401));
	}

	@Test
	void theTokenAllowsWritesAndReadsStayOpen() {
		MlflowClient authorised = new MlflowClient(new BasicMlflowHostCreds(baseUrl(), "s3cret-token"));
		String id = authorised.createExperiment("with-token");
		MlflowClient anonymous = mlflow();
		assertThat(anonymous.getExperiment(id).getName()).isEqualTo("with-token");
		assertThat(anonymous.searchExperiments("name = 'with-token'").getItems()).hasSize(1);
		assertThat(anonymous.searchRuns(java.util.List.of(id), "")).isEmpty();
	}

}
