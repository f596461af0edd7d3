package dev.flywheel.inference.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.bundle.registry.RegistryClient;

@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

	@Bean
	RegistryClient registryClient(InferenceProperties properties) {
		return new RegistryClient(properties.registry().url(), properties.security().token(),
				properties.registry().timeout());
	}

}
