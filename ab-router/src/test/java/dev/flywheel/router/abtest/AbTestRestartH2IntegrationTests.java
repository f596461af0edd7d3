package dev.flywheel.router.abtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class AbTestRestartH2IntegrationTests extends AbTestRestartContract {

	private final Path home = TestDatabases.newHome();

	@Override
	Map<String, Object> database() {
		return Map.of("flywheel.home", home.toString());
	}

	/**
	 * The default URL keeps the embedded database open for the life of the JVM (DB_CLOSE_DELAY=-1); shutting it down
	 * makes the second router read the tests back from the file, as a restarted process would.
	 */
	@Override
	void closeDatabase() throws Exception {
		Path file = home.resolve("router").resolve("router.mv.db");
		assertThat(file).exists();
		try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("router/router")
				+ ";DB_CLOSE_DELAY=-1", "", ""); Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
		assertThat(Files.size(file)).isPositive();
	}

}
