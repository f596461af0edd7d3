package dev.flywheel.registry;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;

class RegistryConcurrencyH2IntegrationTests extends RegistryConcurrency {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

}
