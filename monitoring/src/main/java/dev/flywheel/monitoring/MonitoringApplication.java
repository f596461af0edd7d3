package dev.flywheel.monitoring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

import dev.flywheel.support.ManagementSecurity;

/**
 * Monitoring: stores the prediction log and the feedback, measures drift and live quality against each version's
 * reference profile, and triggers retraining.
 */
@SpringBootApplication
@Import(ManagementSecurity.class)
@ConfigurationPropertiesScan
public class MonitoringApplication {

	public static void main(String[] args) {
		SpringApplication.run(MonitoringApplication.class, args);
	}

}
