package dev.flywheel.monitoring.retraining.launch;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * How {@link KubernetesJobLauncher} reaches the cluster and what its training Jobs are made of.
 *
 * @param apiServer the API server's URL; {@code null}: found as the client finds it (in a pod, its service
 * account; elsewhere {@code ~/.kube/config})
 * @param apiTimeout the longest any one call to the API server may take, connecting included
 * @param namespace where the Jobs are created; {@code null}: the client's namespace (in a pod, its own)
 * @param image the Job's image, which must hold the training pipeline's jar where {@code command} runs it
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}
 * @param command the program and its first arguments, followed by {@code train --spec SPEC --registry URL} as the
 * local launcher runs it; empty: {@link #DEFAULT_COMMAND}
 * @param cpuRequest the container's CPU request, a Kubernetes quantity such as {@code 500m}
 * @param cpuLimit its CPU limit
 * @param memoryRequest its memory request, such as {@code 1Gi}
 * @param memoryLimit its memory limit
 * @param backoffLimit the Job's {@code backoffLimit}: how often Kubernetes runs a failed pod again (0 by default:
 * the retraining controller retries a failed job itself, within its rules)
 * @param ttlAfterFinished the Job's {@code ttlSecondsAfterFinished}: how long Kubernetes keeps a finished Job that
 * the launcher did not delete (its outcome must be read before then, a monitoring restart included)
 * @param serviceAccount the service account the Job's pod runs as; {@code null}: the namespace's default
 * @param volumeClaim the PersistentVolumeClaim that holds monitoring's snapshots, mounted read-only in the Job at
 * {@code volumeMountPath}; {@code null}: no volume (the spec's snapshot must then be in the image)
 * @param volumeMountPath where the claim is mounted, in the Job and in monitoring alike, so that the snapshot path
 * the spec names is the same in both
 * @param envFromSecret a Secret whose entries the Job gets as environment variables (such as
 * {@code MLFLOW_TRACKING_TOKEN}); {@code null}: none
 * @param keepFinishedJobs whether a Job (and its spec's ConfigMap) is left in the cluster once its outcome is read
 * @param pollInterval how often a followed Job's status is read
 */
public record KubernetesJobSettings(URI apiServer, Duration apiTimeout, String namespace, String image,
		String imagePullPolicy, List<String> command, String cpuRequest, String cpuLimit, String memoryRequest,
		String memoryLimit, int backoffLimit, Duration ttlAfterFinished, String serviceAccount, String volumeClaim,
		String volumeMountPath, String envFromSecret, boolean keepFinishedJobs, Duration pollInterval) {

	/** The monitoring image, which holds the training pipeline's jar (its Dockerfile copies it there). */
	public static final String DEFAULT_IMAGE = "flywheel/monitoring:0.1.0-SNAPSHOT";

	/** The training pipeline's jar in {@link #DEFAULT_IMAGE}, on the image's java. */
	public static final List<String> DEFAULT_COMMAND = List.of("java", "-jar", "/opt/flywheel/training-pipeline.jar");

	/** Where monitoring keeps its home in its image ({@code FLYWHEEL_HOME}), snapshots included. */
	public static final String DEFAULT_MOUNT_PATH = "/var/lib/flywheel";

	private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

	public KubernetesJobSettings {
		positive(apiTimeout, "apiTimeout");
		positive(pollInterval, "pollInterval");
		if (image == null || image.isBlank()) {
			throw new IllegalArgumentException("image must name an image");
		}
		if (!PULL_POLICIES.contains(imagePullPolicy)) {
			throw new IllegalArgumentException("imagePullPolicy must be one of " + PULL_POLICIES + ", not '"
					+ imagePullPolicy + "'");
		}
		command = (command == null || command.isEmpty()) ? DEFAULT_COMMAND : List.copyOf(command);
		quantity(cpuRequest, "cpuRequest");
		quantity(cpuLimit, "cpuLimit");
		quantity(memoryRequest, "memoryRequest");
		quantity(memoryLimit, "memoryLimit");
		if (backoffLimit < 0) {
			throw new IllegalArgumentException("backoffLimit must not be negative: " + backoffLimit);
		}
		if (ttlAfterFinished == null || ttlAfterFinished.isNegative()) {
			throw new IllegalArgumentException("ttlAfterFinished must not be negative: " + ttlAfterFinished);
		}
		namespace = blankToNull(namespace);
		serviceAccount = blankToNull(serviceAccount);
		volumeClaim = blankToNull(volumeClaim);
		envFromSecret = blankToNull(envFromSecret);
		volumeMountPath = (blankToNull(volumeMountPath) == null) ? DEFAULT_MOUNT_PATH : volumeMountPath;
		if (!volumeMountPath.startsWith("/")) {
			throw new IllegalArgumentException("volumeMountPath must be absolute: " + volumeMountPath);
		}
	}

	/** The defaults, as {@code flywheel.monitoring.retraining.kubernetes.*} has them. */
	public static KubernetesJobSettings defaults() {
		return new KubernetesJobSettings(null, Duration.ofSeconds(10), null, DEFAULT_IMAGE, "IfNotPresent",
				DEFAULT_COMMAND, "500m", "2", "1Gi", "2Gi", 0, Duration.ofDays(1), null, null, DEFAULT_MOUNT_PATH, null,
				false, Duration.ofSeconds(2));
	}

	/** These settings with the API server at {@code url}, reached within {@code timeout}. */
	public KubernetesJobSettings withApi(URI url, Duration timeout) {
		return new KubernetesJobSettings(url, timeout, namespace, image, imagePullPolicy, command, cpuRequest, cpuLimit,
				memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount, volumeClaim,
				volumeMountPath, envFromSecret, keepFinishedJobs, pollInterval);
	}

	/** These settings with the Jobs in {@code namespace}, followed every {@code pollInterval}. */
	public KubernetesJobSettings withNamespace(String namespace, Duration pollInterval) {
		return new KubernetesJobSettings(apiServer, apiTimeout, namespace, image, imagePullPolicy, command, cpuRequest,
				cpuLimit, memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount, volumeClaim,
				volumeMountPath, envFromSecret, keepFinishedJobs, pollInterval);
	}

	/** These settings with the snapshots' claim mounted at {@code mountPath}. */
	public KubernetesJobSettings withVolume(String claim, String mountPath) {
		return new KubernetesJobSettings(apiServer, apiTimeout, namespace, image, imagePullPolicy, command, cpuRequest,
				cpuLimit, memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount, claim, mountPath,
				envFromSecret, keepFinishedJobs, pollInterval);
	}

	/** These settings with the Jobs run as {@code serviceAccount}, with {@code secret}'s entries in their environment. */
	public KubernetesJobSettings withAccess(String serviceAccount, String secret) {
		return new KubernetesJobSettings(apiServer, apiTimeout, namespace, image, imagePullPolicy, command, cpuRequest,
				cpuLimit, memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount, volumeClaim,
				volumeMountPath, secret, keepFinishedJobs, pollInterval);
	}

	/** These settings keeping finished Jobs, or not. */
	public KubernetesJobSettings withKeepFinishedJobs(boolean keep) {
		return new KubernetesJobSettings(apiServer, apiTimeout, namespace, image, imagePullPolicy, command, cpuRequest,
				cpuLimit, memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount, volumeClaim,
				volumeMountPath, envFromSecret, keep, pollInterval);
	}

	private static void positive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive: " + duration);
		}
	}

	private static void quantity(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " must be a Kubernetes quantity, such as 500m or 1Gi");
		}
		try {
			Quantity.getAmountInBytes(new Quantity(value));
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new IllegalArgumentException(name + " must be a Kubernetes quantity, such as 500m or 1Gi, not '"
					+ value + "'", ex);
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
