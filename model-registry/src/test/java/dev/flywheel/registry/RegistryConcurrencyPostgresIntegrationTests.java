package dev.flywheel.registry;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;

class RegistryConcurrencyPostgresIntegrationTests extends RegistryConcurrency {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
