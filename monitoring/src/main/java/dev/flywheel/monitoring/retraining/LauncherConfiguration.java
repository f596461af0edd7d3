package dev.flywheel.monitoring.retraining;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.flywheel.monitoring.retraining.launch.KubernetesJobLauncher;
import dev.flywheel.monitoring.retraining.launch.LocalProcessLauncher;
import dev.flywheel.monitoring.retraining.launch.TrainingLauncher;

/**
 * The training launcher {@code flywheel.monitoring.retraining.launcher} names: a local process (the default) or a
 * Kubernetes Job. As a bean, the Kubernetes launcher's client is closed with the application.
 */
@Configuration(proxyBeanMethods = false)
class LauncherConfiguration {

	@Bean
	TrainingLauncher trainingLauncher(RetrainingProperties properties) {
		return switch (properties.launcher()) {
			case LOCAL -> properties.command().isEmpty() ? LocalProcessLauncher.forJar(properties.trainingJar())
					: new LocalProcessLauncher(properties.command());
			case KUBERNETES -> KubernetesJobLauncher.connect(properties.kubernetes().settings());
		};
	}

}
