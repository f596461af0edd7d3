package dev.flywheel.registry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The two databases the suite runs against: the embedded H2 default under a fresh FLYWHEEL_HOME, and a fresh
 * PostgreSQL database on the server of {@code FLYWHEEL_TEST_POSTGRES_URL} (default
 * {@code r2dbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}), dropped when the JVM exits.
 */
public final class TestDatabases {

	private TestDatabases() {
	}

	public static Path newHome() {
		try {
			return Files.createTempDirectory("flywheel-home-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Points the registry at H2 under a new FLYWHEEL_HOME, the default set-up. */
	public static void h2(DynamicPropertyRegistry registry) {
		Path home = newHome();
		registry.add("flywheel.home", home::toString);
	}

	/** Points the registry at a new PostgreSQL database; skips the test where no PostgreSQL answers. */
	public static void postgres(DynamicPropertyRegistry registry) {
		Path home = newHome();
		String database = createPostgresDatabase();
		registry.add("flywheel.home", home::toString);
		registry.add("spring.r2dbc.url", () -> r2dbcUrl(database));
	}

	/** Creates a database for one test class and returns its name. */
	public static String createPostgresDatabase() {
		String name = "flywheel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(adminJdbcUrl(), user(), null);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			Assumptions.abort("No PostgreSQL answers at " + adminJdbcUrl() + " (" + ex.getMessage()
					+ "); set FLYWHEEL_TEST_POSTGRES_URL to run the PostgreSQL variant");
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> dropPostgresDatabase(name)));
		return name;
	}

	private static void dropPostgresDatabase(String name) {
		try (Connection connection = DriverManager.getConnection(adminJdbcUrl(), user(), null);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			// the server went away first; the database is left for the next clean-up
		}
	}

	public static String r2dbcUrl(String database) {
		URI server = serverUri();
		return "r2dbc:postgresql://" + user() + "@" + server.getHost() + ":" + port(server) + "/" + database;
	}

	private static String adminJdbcUrl() {
		URI server = serverUri();
		return "jdbc:postgresql://" + server.getHost() + ":" + port(server) + server.getPath();
	}

	private static URI serverUri() {
		String url = System.getenv().getOrDefault("FLYWHEEL_TEST_POSTGRES_URL", "r2dbc:postgresql://127.0.0.1:5432/test");
		return URI.create(url.toLowerCase(Locale.ROOT).startsWith("r2dbc:") ? url.substring("r2dbc:".length()) : url);
	}

	private static int port(URI server) {
		return server.getPort() > 0 ? server.getPort() : 5432;
	}

	private static String user() {
		String userInfo = serverUri().getUserInfo();
		return userInfo != null ? userInfo.split(":")[0] : "postgres";
	}

}
