package dev.flywheel.inference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Serves the registry's models: Open Inference Protocol, MLflow scoring and a plain predict API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InferenceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InferenceApplication.class, args);
	}

}
