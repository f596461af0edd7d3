package dev.flywheel.registry.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.flywheel.support.Database;
import dev.flywheel.support.EventLoopAffinity;
import dev.flywheel.support.FlywayDataSourceConfiguration;

/**
 * The registry's {@link Database} (threads and timeout from {@code flywheel.registry.database-threads} and
 * {@code flywheel.registry.database-timeout}), Flyway's data source derived from {@code spring.r2dbc.url}, and the
 * {@link EventLoopAffinity} filter that hands database results back to the request's event loop.
 */
@Configuration(proxyBeanMethods = false)
@Import({ FlywayDataSourceConfiguration.class, EventLoopAffinity.class })
class DatabaseConfiguration {

	@Bean
	Database database(DatabaseClient client, TransactionalOperator transactions, RegistryProperties properties) {
		return new Database(client, transactions, "registry", properties.registry().databaseThreads(),
				properties.registry().databaseTimeout());
	}

}
