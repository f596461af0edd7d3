package dev.flywheel.router.feedback;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.router.support.RouterCalls.Answer;
import dev.flywheel.router.support.RouterServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router upgraded onto a database written before predictions were batched: the predictions it recorded one row each
 * are still found, and the feedback they took still stands (moved to {@code prediction_feedback} by the migration).
 */
class FeedbackUpgradeIntegrationTests {

	@TempDir
	Path home;

	@Test
	void predictionsAndFeedbackRecordedBeforeBatchesStillCount() throws Exception {
		String url = "jdbc:h2:file:" + home.resolve("router/router");
		Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").target("3").load().migrate();
		long now = System.currentTimeMillis();
		String answered = "01a21e15-06df-7f47-92df-003ac0a66b6f";
		String pending = "01a21e15-06df-7f47-92df-003ac0a66b70";
		try (Connection connection = DriverManager.getConnection(url, "", "");
				Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO routed_prediction (prediction_id, model_name, model_version, for_decision, "
					+ "predicted, predicted_at, feedback_at, label, reward) VALUES ('" + answered + "', 'iris', '1', "
					+ "FALSE, 'setosa', " + now + ", " + now + ", 'setosa', 1.0), ('" + pending + "', 'iris', '1', "
					+ "FALSE, 'setosa', " + now + ", NULL, NULL, NULL)");
		}

		Map<String, String> properties = new HashMap<>(RouterServer.FAST);
		properties.put("flywheel.home", home.toString());
		properties.put("flywheel.monitoring.enabled", "false");
		try (RouterServer router = RouterServer.start(properties)) {
			Answer same = router.calls().feedback("[{\"prediction_id\": \"" + answered + "\", \"label\": \"setosa\"}, "
					+ "{\"prediction_id\": \"" + pending + "\", \"label\": \"virginica\"}]");
			assertThat(same.status()).isEqualTo(200);
			assertThat(same.body().path("accepted").asInt()).isEqualTo(1);
			assertThat(same.body().path("already_recorded").asInt()).isEqualTo(1);

			Answer different = router.calls().feedback("[{\"prediction_id\": \"" + answered
					+ "\", \"label\": \"versicolor\"}, {\"prediction_id\": \"" + pending + "\", \"label\": \"setosa\"}]");
			assertThat(different.status()).isEqualTo(409);
			assertThat(different.body().path("conflicting")).hasSize(2);
		}
	}

}
