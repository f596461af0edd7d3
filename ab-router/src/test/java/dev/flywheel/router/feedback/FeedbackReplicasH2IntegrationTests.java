package dev.flywheel.router.feedback;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas on one embedded H2 database (one home, in one JVM): the default set-up's locking. */
class FeedbackReplicasH2IntegrationTests extends FeedbackReplicasContract {

	@TempDir
	static Path home;

	@BeforeAll
	static void startReplicas() {
		Map<String, String> database = Map.of("flywheel.home", home.toString());
		start(database, database);
	}

}
