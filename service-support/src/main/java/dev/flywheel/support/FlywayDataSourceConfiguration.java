package dev.flywheel.support;

import java.net.URI;

import javax.sql.DataSource;

import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Flyway migrates over JDBC while the service itself speaks R2DBC. Unless {@code spring.flyway.url} is set, Flyway's
 * connection is derived from {@code spring.r2dbc.url} (and its username and password), so one property moves the
 * service to PostgreSQL, e.g. {@code spring.r2dbc.url=r2dbc:postgresql://postgres@127.0.0.1:5432/flywheel}. Services
 * with a database bring it in with {@code @Import(FlywayDataSourceConfiguration.class)}.
 */
@Configuration(proxyBeanMethods = false)
public class FlywayDataSourceConfiguration {

	@Bean
	@FlywayDataSource
	DataSource flywayDataSource(Environment environment) {
		String flywayUrl = environment.getProperty("spring.flyway.url");
		if (flywayUrl != null && !flywayUrl.isBlank()) {
			return new DriverManagerDataSource(flywayUrl, environment.getProperty("spring.flyway.user"),
					environment.getProperty("spring.flyway.password"));
		}
		JdbcTarget target = JdbcTarget.fromR2dbc(environment.getRequiredProperty("spring.r2dbc.url"));
		return new DriverManagerDataSource(target.url(),
				environment.getProperty("spring.r2dbc.username", target.user() == null ? "" : target.user()),
				environment.getProperty("spring.r2dbc.password", target.password() == null ? "" : target.password()));
	}

	/** The JDBC equivalent of an R2DBC URL, for Flyway. */
	record JdbcTarget(String url, String user, String password) {

		static JdbcTarget fromR2dbc(String r2dbcUrl) {
			if (r2dbcUrl.startsWith("r2dbc:h2:")) {
				return new JdbcTarget(h2(r2dbcUrl.substring("r2dbc:h2:".length())), "", "");
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
				return "jdbc:h2:file:" + rest.substring("file:///".length()) + options;
			}
			return "jdbc:h2:" + rest + options;
		}

	}

}
