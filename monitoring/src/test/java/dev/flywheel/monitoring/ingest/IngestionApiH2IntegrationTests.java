package dev.flywheel.monitoring.ingest;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;

class IngestionApiH2IntegrationTests extends IngestionApiContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

}
