package dev.flywheel.router.feedback;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.registry.support.TestDatabases;

/** Two replicas on one fresh PostgreSQL database; skipped where no PostgreSQL answers. */
class FeedbackReplicasPostgresIntegrationTests extends FeedbackReplicasContract {

	@TempDir
	static Path home;

	@BeforeAll
	static void startReplicas() {
		String url = TestDatabases.r2dbcUrl(TestDatabases.createPostgresDatabase());
		start(Map.of("flywheel.home", home.resolve("a").toString(), "spring.r2dbc.url", url),
				Map.of("flywheel.home", home.resolve("b").toString(), "spring.r2dbc.url", url));
	}

}
