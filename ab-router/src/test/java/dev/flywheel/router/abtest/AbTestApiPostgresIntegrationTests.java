package dev.flywheel.router.abtest;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;

class AbTestApiPostgresIntegrationTests extends AbTestApiContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
		registry(registry);
	}

}
