package dev.flywheel.support;

import org.junit.jupiter.api.Test;

import dev.flywheel.support.FlywayDataSourceConfiguration.JdbcTarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlywayDataSourceConfigurationTests {

	@Test
	void derivesPostgresJdbcUrlAndUserFromR2dbcUrl() {
		JdbcTarget target = JdbcTarget.fromR2dbc("r2dbc:postgresql://flywheel:pw@db.example:6543/registry?sslmode=require");
		assertThat(target).isEqualTo(new JdbcTarget("jdbc:postgresql://db.example:6543/registry?sslmode=require",
				"flywheel", "pw"));
	}

	@Test
	void derivesH2FileUrlWithItsOptions() {
		JdbcTarget target = JdbcTarget.fromR2dbc("r2dbc:h2:file:////var/lib/flywheel/registry/registry?options=A=1;B=2");
		assertThat(target.url()).isEqualTo("jdbc:h2:file:/var/lib/flywheel/registry/registry;A=1;B=2");
		assertThat(JdbcTarget.fromR2dbc("r2dbc:h2:file:///./.flywheel/registry/registry").url())
			.isEqualTo("jdbc:h2:file:./.flywheel/registry/registry");
		assertThat(JdbcTarget.fromR2dbc("r2dbc:h2:mem:///test").url()).isEqualTo("jdbc:h2:mem:///test");
	}

	@Test
	void asksForAnExplicitUrlForOtherDrivers() {
		assertThatThrownBy(() -> JdbcTarget.fromR2dbc("r2dbc:mysql://x/y")).hasMessageContaining("spring.flyway.url");
	}

}
