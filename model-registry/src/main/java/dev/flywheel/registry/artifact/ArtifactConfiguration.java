package dev.flywheel.registry.artifact;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.registry.system.RegistryProperties;

/**
 * The artifact store that {@code flywheel.registry.artifact-store} names: the local file system (the default) or an
 * S3-compatible bucket, which must answer before the registry starts. An S3 store's client is closed with the context.
 */
@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

	@Bean
	ArtifactStore artifactStore(RegistryProperties properties) {
		return switch (properties.registry().artifactStore()) {
			case LOCAL -> new LocalArtifactStore(properties.artifactRoot());
			case S3 -> S3ArtifactStore.connect(properties.registry().s3());
		};
	}

}
