package dev.flywheel.registry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

import dev.flywheel.support.ManagementSecurity;

/**
 * The Flywheel model registry: an MLflow-compatible tracking server and model registry, the artifact proxy that
 * stores model bundles, and the stream of registry events the inference service follows.
 */
@SpringBootApplication
@Import(ManagementSecurity.class)
@ConfigurationPropertiesScan
public class RegistryApplication {

	public static void main(String[] args) {
		SpringApplication.run(RegistryApplication.class, args);
	}

}
