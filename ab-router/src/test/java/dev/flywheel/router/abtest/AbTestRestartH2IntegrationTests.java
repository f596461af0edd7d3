package dev.flywheel.router.abtest;

import java.util.Map;

import dev.flywheel.registry.support.TestDatabases;

class AbTestRestartH2IntegrationTests extends AbTestRestartContract {

	private final String home = TestDatabases.newHome().toString();

	@Override
	Map<String, Object> database() {
		return Map.of("flywheel.home", home);
	}

}
