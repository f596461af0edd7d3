package dev.flywheel.registry.system;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes one property enough to choose the database.
 * <p>
 * Without {@code spring.r2dbc.url} the registry uses an H2 file database under {@code FLYWHEEL_HOME/registry}.
 * Flyway migrates over JDBC, so unless {@code spring.flyway.url} is set its URL, user and password are derived from
 * the R2DBC ones: {@code spring.r2dbc.url=r2dbc:postgresql://postgres@127.0.0.1:5432/flywheel} is all it takes to
 * move to PostgreSQL.
 */
class DatabaseDefaults implements EnvironmentPostProcessor {

	/**
	 * {@code LOCK_TIMEOUT}: writers to one registered model or run queue on its row lock, so give them time;
	 * {@code WRITE_DELAY=0}: a commit is written to the file before it is acknowledged, so a killed process loses
	 * nothing it confirmed.
	 */
	static final String H2_OPTIONS = "DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=15000;WRITE_DELAY=0";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new HashMap<>();
		String r2dbcUrl = environment.getProperty("spring.r2dbc.url");
		if (r2dbcUrl == null || r2dbcUrl.isBlank()) {
			Path home = Path.of(environment.getProperty("flywheel.home", ".flywheel")).toAbsolutePath().normalize();
			Path file = home.resolve("registry").resolve("registry");
			// r2dbc-h2 takes the database name after "file:///", so an absolute path keeps its own leading slash
			r2dbcUrl = "r2dbc:h2:file:///" + file + "?options=" + H2_OPTIONS;
			defaults.put("spring.r2dbc.url", r2dbcUrl);
			defaults.put("spring.r2dbc.username", "sa");
		}
		if (environment.getProperty("spring.flyway.url") == null) {
			JdbcTarget jdbc = JdbcTarget.fromR2dbc(r2dbcUrl);
			defaults.put("spring.flyway.url", jdbc.url());
			String user = environment.getProperty("spring.r2dbc.username", jdbc.user());
			String password = environment.getProperty("spring.r2dbc.password", jdbc.password());
			if (user != null) {
				defaults.put("spring.flyway.user", user);
			}
			if (password != null) {
				defaults.put("spring.flyway.password", password);
			}
		}
		environment.getPropertySources().addLast(new MapPropertySource("flywheelDatabaseDefaults", defaults));
	}

	/** The JDBC equivalent of an R2DBC URL, for Flyway. */
	record JdbcTarget(String url, String user, String password) {

		static JdbcTarget fromR2dbc(String r2dbcUrl) {
			if (r2dbcUrl.startsWith("r2dbc:h2:")) {
				return new JdbcTarget(h2(r2dbcUrl.substring("r2dbc:h2:".length())), "sa", "");
			}
			if (r2dbcUrl.startsWith("r2dbc:postgresql:") || r2dbcUrl.startsWith("r2dbc:postgres:")) {
				URI uri = URI.create(r2dbcUrl.substring("r2dbc:".length()));
				String user = null;
				String password = null;
				if (uri.getUserInfo() != null) {
					String[] parts = uri.getUserInfo().split(":", 2);
					user = parts[0];
					password = parts.length > 1 ? parts[1] : null;
				}
				String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
				String query = uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "";
				return new JdbcTarget("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, user,
						password);
			}
			throw new IllegalStateException("Cannot derive spring.flyway.url from spring.r2dbc.url '" + r2dbcUrl
					+ "': set spring.flyway.url as well");
		}

		/** {@code file:////abs/path?options=A=1;B=2} or {@code mem:name?options=...} to H2's JDBC form. */
		private static String h2(String rest) {
			String options = "";
			int query = rest.indexOf('?');
			if (query >= 0) {
				String params = rest.substring(query + 1);
				rest = rest.substring(0, query);
				if (params.startsWith("options=")) {
					options = ";" + params.substring("options=".length());
				}
			}
			if (rest.startsWith("file:///")) {
				String database = rest.substring("file:///".length());
				boolean explicit = database.startsWith("/") || database.startsWith("./") || database.startsWith("~");
				return "jdbc:h2:file:" + (explicit ? "" : "./") + database + options;
			}
			return "jdbc:h2:" + rest + options;
		}

	}

}
