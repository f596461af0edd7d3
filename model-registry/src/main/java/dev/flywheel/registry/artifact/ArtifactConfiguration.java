package dev.flywheel.registry.artifact;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.registry.system.RegistryProperties;

@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

	@Bean
	ArtifactStore artifactStore(RegistryProperties properties) {
		return new LocalArtifactStore(properties.artifactRoot());
	}

}
