package dev.flywheel.registry.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

import dev.flywheel.registry.mlflow.MlflowRequestResolver;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

	private final RegistryProperties properties;

	WebConfiguration(RegistryProperties properties) {
		this.properties = properties;
	}

	@Override
	public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
		configurer.addCustomResolver(new MlflowRequestResolver(properties));
	}

}
