package dev.flywheel.monitoring.retraining;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.flywheel.monitoring.retraining.launch.KubernetesJobLauncher;
import dev.flywheel.monitoring.retraining.launch.KubernetesJobSettings;
import dev.flywheel.monitoring.retraining.launch.LocalProcessLauncher;
import dev.flywheel.monitoring.retraining.launch.TrainingLauncher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code flywheel.monitoring.retraining.launcher} and the Kubernetes launcher's settings, bound as Spring binds them. */
class KubernetesLauncherSettingsTests {

	@Test
	void theLocalLauncherIsTheDefaultAndTheKubernetesSettingsHaveTheLaunchersDefaults() {
		RetrainingProperties properties = bind(Map.of());
		assertThat(properties.launcher()).isEqualTo(RetrainingProperties.Launcher.LOCAL);
		assertThat(properties.kubernetes().settings()).isEqualTo(KubernetesJobSettings.defaults());
		assertThat(new LauncherConfiguration().trainingLauncher(properties)).isInstanceOf(LocalProcessLauncher.class);
	}

	@Test
	void kubernetesSelectsTheKubernetesLauncherWithItsSettings() throws Exception {
		RetrainingProperties properties = bind(Map.ofEntries(
				Map.entry("flywheel.monitoring.retraining.launcher", "kubernetes"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.api-server", "https://10.0.0.1:6443"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.api-timeout", "3s"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.namespace", "flywheel"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.image", "registry.example/flywheel/monitoring:1"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.image-pull-policy", "Always"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.command", "/bin/train-wrapper,--quiet"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.cpu-limit", "4"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.memory-limit", "3Gi"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.backoff-limit", "1"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.ttl-after-finished", "2h"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.service-account", "trainer"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.volume.claim-name", "monitoring-home"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.env-from-secret", "flywheel-training"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.keep-finished-jobs", "true"),
				Map.entry("flywheel.monitoring.retraining.kubernetes.poll-interval", "5s")));

		KubernetesJobSettings settings = properties.kubernetes().settings();
		assertThat(settings).isEqualTo(new KubernetesJobSettings(URI.create("https://10.0.0.1:6443"),
				Duration.ofSeconds(3), "flywheel", "registry.example/flywheel/monitoring:1", "Always",
				List.of("/bin/train-wrapper", "--quiet"), "500m", "4", "1Gi", "3Gi", 1, Duration.ofHours(2), "trainer",
				"monitoring-home", "/var/lib/flywheel", "flywheel-training", true, Duration.ofSeconds(5)));
		TrainingLauncher launcher = new LauncherConfiguration().trainingLauncher(properties);
		assertThat(launcher).isInstanceOf(KubernetesJobLauncher.class);
		try (KubernetesJobLauncher kubernetes = (KubernetesJobLauncher) launcher) {
			assertThat(kubernetes.namespace()).isEqualTo("flywheel");
		}
	}

	@Test
	void settingsKubernetesWouldRefuseAreRefusedAtStart() {
		assertThatIllegalArgumentException().isThrownBy(() -> bind(Map.of(
				"flywheel.monitoring.retraining.kubernetes.memory-limit", "lots")).kubernetes().settings())
			.withMessageContaining("memoryLimit must be a Kubernetes quantity");
		assertThatIllegalArgumentException().isThrownBy(() -> bind(Map.of(
				"flywheel.monitoring.retraining.kubernetes.image-pull-policy", "Sometimes")).kubernetes().settings())
			.withMessageContaining("imagePullPolicy");
	}

	private static RetrainingProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate("flywheel.monitoring.retraining", RetrainingProperties.class);
	}

}
