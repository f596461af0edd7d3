package dev.flywheel.router.abtest;

import java.util.Map;

import dev.flywheel.registry.support.TestDatabases;

class AbTestRestartPostgresIntegrationTests extends AbTestRestartContract {

	@Override
	Map<String, Object> database() {
		return Map.of("flywheel.home", TestDatabases.newHome().toString(), "spring.r2dbc.url",
				TestDatabases.r2dbcUrl(TestDatabases.createPostgresDatabase()));
	}

}
