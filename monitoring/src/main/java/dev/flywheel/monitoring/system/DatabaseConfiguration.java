package dev.flywheel.monitoring.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.flywheel.support.Database;
import dev.flywheel.support.EventLoopAffinity;
import dev.flywheel.support.FlywayDataSourceConfiguration;

/**
 * Monitoring's {@link Database} (threads and timeout from {@code flywheel.monitoring.database-threads} and
 * {@code flywheel.monitoring.database-timeout}), Flyway's data source derived from {@code spring.r2dbc.url}, and the
 * {@link EventLoopAffinity} filter that hands database results back to the request's event loop.
 */
@Configuration(proxyBeanMethods = false)
@Import({ FlywayDataSourceConfiguration.class, EventLoopAffinity.class })
class DatabaseConfiguration {

	@Bean
	Database database(DatabaseClient client, TransactionalOperator transactions, MonitoringProperties properties) {
		return new Database(client, transactions, "monitoring", properties.databaseThreads(),
				properties.databaseTimeout());
	}

}
