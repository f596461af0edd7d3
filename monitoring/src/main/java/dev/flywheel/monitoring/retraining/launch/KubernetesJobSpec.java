package dev.flywheel.monitoring.retraining.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretEnvSourceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a training job becomes on Kubernetes, for {@link KubernetesJobLauncher} to create and follow. The spec's YAML
 * goes into a ConfigMap owned by the Job (an ownerReference: Kubernetes deletes it with the Job), mounted read-only as
 * {@value #SPEC_DIRECTORY}/{@value #SPEC_FILE}, which {@code --spec} names. The snapshot the spec names is read
 * through the volume monitoring writes it to (a PersistentVolumeClaim), mounted at the same path. The Job carries the
 * request's environment (and {@code OMP_NUM_THREADS=1} unless it says otherwise), the configured Secret's entries,
 * resources, {@code backoffLimit} (0: the retraining controller retries by itself), {@code activeDeadlineSeconds}
 * from the time limit (Kubernetes stops the Job past it), {@code ttlSecondsAfterFinished}, {@code restartPolicy:
 * Never}, and the labels {@value #MANAGED_BY}={@value #MANAGER}, {@value #JOB_ID_LABEL} and, when the spec names its
 * model, {@value #MODEL_LABEL}. Names and label values follow the cluster's rules (DNS labels, 63 characters).
 */
final class KubernetesJobSpec {

	/** The label that says who manages the Job. */
	public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

	/** {@value #MANAGED_BY}'s value on the Jobs this launcher creates. */
	public static final String MANAGER = "flywheel-monitoring";

	/** The label holding the retraining controller's job id. */
	public static final String JOB_ID_LABEL = "flywheel.dev/job-id";

	/** The label holding the model the Job trains, when its spec names it. */
	public static final String MODEL_LABEL = "flywheel.dev/model";

	/** The label Kubernetes puts on a Job's pods, with the Job's name. */
	static final String JOB_NAME_LABEL = "job-name";

	/** The Job's names begin so, followed by the job id. */
	public static final String NAME_PREFIX = "flywheel-train-";

	/** The training container's name. */
	public static final String CONTAINER = "training";

	/** Where the spec's ConfigMap is mounted in the Job. */
	public static final String SPEC_DIRECTORY = "/etc/flywheel/job";

	/** The spec's file name (and its key in the ConfigMap). */
	public static final String SPEC_FILE = "spec.yaml";

	private final KubernetesJobSettings settings;

	private final String namespace;

	KubernetesJobSpec(KubernetesJobSettings settings, String namespace) {
		this.settings = settings;
		this.namespace = namespace;
	}

	Job job(JobRequest request, String name, Map<String, String> labels) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("OMP_NUM_THREADS", "1");
		environment.putAll(request.environment());
		List<EnvVar> env = new ArrayList<>();
		environment.forEach((key, value) -> env.add(new EnvVar(key, value, null)));
		ContainerBuilder container = new ContainerBuilder().withName(CONTAINER)
			.withImage(this.settings.image())
			.withImagePullPolicy(this.settings.imagePullPolicy())
			.withCommand(this.settings.command())
			.withArgs("train", "--spec", SPEC_DIRECTORY + "/" + SPEC_FILE, "--registry", request.registry().toString())
			.withEnv(env)
			.withResources(new ResourceRequirementsBuilder()
				.addToRequests("cpu", new Quantity(this.settings.cpuRequest()))
				.addToRequests("memory", new Quantity(this.settings.memoryRequest()))
				.addToLimits("cpu", new Quantity(this.settings.cpuLimit()))
				.addToLimits("memory", new Quantity(this.settings.memoryLimit()))
				.build())
			.addToVolumeMounts(new VolumeMountBuilder().withName("spec")
				.withMountPath(SPEC_DIRECTORY)
				.withReadOnly(true)
				.build());
		PodSpecBuilder pod = new PodSpecBuilder().withRestartPolicy("Never")
			.withServiceAccountName(this.settings.serviceAccount())
			// the training pipeline never calls the Kubernetes API
			.withAutomountServiceAccountToken(false)
			.addToVolumes(new VolumeBuilder().withName("spec")
				.withConfigMap(new ConfigMapVolumeSourceBuilder().withName(configMapName(name)).build())
				.build());
		if (this.settings.envFromSecret() != null) {
			container.addToEnvFrom(new EnvFromSourceBuilder()
				.withSecretRef(new SecretEnvSourceBuilder().withName(this.settings.envFromSecret()).build())
				.build());
		}
		if (this.settings.volumeClaim() != null) {
			container.addToVolumeMounts(new VolumeMountBuilder().withName("snapshots")
				.withMountPath(this.settings.volumeMountPath())
				.withReadOnly(true)
				.build());
			pod.addToVolumes(new VolumeBuilder().withName("snapshots")
				.withPersistentVolumeClaim(new PersistentVolumeClaimVolumeSourceBuilder()
					.withClaimName(this.settings.volumeClaim())
					.withReadOnly(true)
					.build())
				.build());
		}
		pod.withContainers(container.build());
		long deadline = Math.max(1, (request.timeLimit().toMillis() + 999) / 1000);
		return new JobBuilder()
			.withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(this.namespace).withLabels(labels).build())
			.withNewSpec()
			.withBackoffLimit(this.settings.backoffLimit())
			.withActiveDeadlineSeconds(deadline)
			.withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, this.settings.ttlAfterFinished().toSeconds()))
			.withNewTemplate()
			.withMetadata(new ObjectMetaBuilder().withLabels(labels).build())
			.withSpec(pod.build())
			.endTemplate()
			.endSpec()
			.build();
	}

	ConfigMap configMap(Job owner, String spec, Map<String, String> labels) {
		return new ConfigMapBuilder()
			.withMetadata(new ObjectMetaBuilder().withName(configMapName(owner.getMetadata().getName()))
				.withNamespace(this.namespace)
				.withLabels(labels)
				.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1")
					.withKind("Job")
					.withName(owner.getMetadata().getName())
					.withUid(owner.getMetadata().getUid())
					.build())
				.build())
			.addToData(SPEC_FILE, spec)
			.build();
	}

	/** The Job's name: {@value #NAME_PREFIX} and the job id, as a DNS label (63 characters at most). */
	static String jobName(String jobId) {
		String name = NAME_PREFIX + jobId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
		name = name.substring(0, Math.min(63, name.length()));
		return name.replaceAll("-+$", "");
	}

	static String configMapName(String jobName) {
		return jobName + "-spec";
	}

	static Map<String, String> labels(String jobId, Object model) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(MANAGED_BY, MANAGER);
		labels.put(JOB_ID_LABEL, labelValue(jobId));
		if (model instanceof String name && !labelValue(name).isEmpty()) {
			labels.put(MODEL_LABEL, labelValue(name));
		}
		return labels;
	}

	/** A label value: 63 characters at most of letters, digits, '-', '_' and '.', beginning and ending alphanumeric. */
	static String labelValue(String value) {
		String label = value.replaceAll("[^A-Za-z0-9._-]+", "-");
		label = label.substring(0, Math.min(63, label.length()));
		return label.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
	}

	static Map<?, ?> parse(String spec) {
		try {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(spec);
			return (loaded instanceof Map<?, ?> map) ? map : Map.of();
		}
		catch (RuntimeException ex) {
			// the training job reports a spec it cannot read (exit 2): nothing to check here
			return Map.of();
		}
	}

	/** Refuses a spec whose snapshot (its {@code feedback.path}) the Job could not read through the shared volume. */
	void checkSnapshotIsShared(Map<?, ?> spec) {
		if (!(spec.get("feedback") instanceof Map<?, ?> feedback) || !(feedback.get("path") instanceof String path)) {
			return;
		}
		if (this.settings.volumeClaim() == null) {
			throw new IllegalStateException("The spec's snapshot " + path + " is on monitoring's disk, which a"
					+ " Kubernetes Job cannot read without a shared volume: set"
					+ " flywheel.monitoring.retraining.kubernetes.volume.claim-name");
		}
		Path mount = Path.of(this.settings.volumeMountPath()).normalize();
		if (!Path.of(path).normalize().startsWith(mount)) {
			throw new IllegalStateException("The spec's snapshot " + path + " is not under " + mount
					+ ", where the Job mounts volume " + this.settings.volumeClaim()
					+ ": mount the claim where monitoring keeps its snapshots (FLYWHEEL_HOME)");
		}
	}

}
