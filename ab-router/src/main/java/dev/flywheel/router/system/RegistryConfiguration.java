package dev.flywheel.router.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.bundle.registry.RegistryClient;

/** The registry client; every one of its calls times out after {@code flywheel.registry.timeout}. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

	@Bean
	RegistryClient registryClient(RouterProperties properties) {
		return new RegistryClient(properties.registry().url(), properties.security().token(),
				properties.registry().timeout());
	}

}
