package dev.flywheel.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Kubernetes manifests ({@code deploy/k8s/}) loaded into fabric8's typed model, as {@code kubectl} would send them
 * (no cluster runs here): a field the model does not know (a misspelling, a wrong level) fails, and so does every
 * cross-reference that does not resolve: ports, probes, Services, autoscalers, Secrets and their keys, claims, RBAC,
 * the service URLs, and the training Job template against the Kubernetes launcher's defaults (read from its source).
 */
class KubernetesManifestsTests {

	private static final Path ROOT = Repository.root();

	private static final Path K8S = ROOT.resolve("deploy/k8s");

	private static final List<String> MODULES = List.of("model-registry", "inference-service", "ab-router",
			"monitoring");

	/** Not applied with the others: it runs a training. */
	private static final String TRAINING_JOB = "training-job.yaml";

	private static final Path LAUNCH = ROOT
		.resolve("monitoring/src/main/java/dev/flywheel/monitoring/retraining/launch");

	private static final Manifests MANIFESTS = Manifests.load();

	/** How many {@code additionalProperties} the walks looked at: a walk that looks at none proves nothing. */
	private static final AtomicInteger CHECKED = new AtomicInteger();

	@Test
	void everyManifestIsKnownKindsWithKnownFieldsOnly() {
		assertThat(MANIFESTS.files()).as("the manifests").contains("monitoring.yaml", TRAINING_JOB);
		List<String> unknown = new ArrayList<>();
		MANIFESTS.all().forEach((file, resources) -> resources.forEach(resource -> {
			String where = file + ": " + resource.getKind() + " " + resource.getMetadata().getName();
			if (resource instanceof GenericKubernetesResource generic) {
				assertThat(generic.getKind()).as(where + " is not a kind fabric8 knows: misspelt?")
					.isEqualTo("ServiceMonitor");
				unknownFields(generic.getMetadata(), where + " metadata", unknown);
				return;
			}
			unknownFields(resource, where, unknown);
		}));
		assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
		assertThat(CHECKED.get()).as("objects whose unknown fields were looked for").isGreaterThan(100);
	}

	/** The walk finds what it looks for: a misspelt field, put aside by the model. */
	@Test
	void aFieldTheModelDoesNotKnowIsFound() {
		Deployment deployment = new KubernetesSerialization().unmarshal("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: x}
				spec:
				  template:
				    spec:
				      containers:
				        - name: x
				          readinesProbe:
				            httpGet: {path: /actuator/health/readiness, port: http}
				""", Deployment.class);
		List<String> unknown = new ArrayList<>();
		unknownFields(deployment, "x", unknown);
		assertThat(unknown).containsExactly("x.spec.template.spec.containers[0]: [readinesProbe]");
	}

	@Test
	void theKustomizationAppliesEveryManifestButTheTrainingJob() {
		Map<String, Object> kustomization = YamlTree.read(K8S.resolve("kustomization.yaml"));
		assertThat(YamlTree.text(kustomization, "kind")).isEqualTo("Kustomization");
		List<Object> resources = YamlTree.list(kustomization, "resources");
		Set<String> expected = new TreeSet<>(MANIFESTS.files());
		expected.remove(TRAINING_JOB);
		assertThat(resources).as("kustomization.yaml's resources").hasSameElementsAs(expected);
		String namespace = YamlTree.text(kustomization, "namespace");
		assertThat(MANIFESTS.single(Namespace.class, namespace)).as("the kustomization's namespace").isNotNull();
	}

	@Test
	void eachServiceIsADeploymentOfItsImageServedOnItsPortWithProbesAndResources() {
		for (String module : MODULES) {
			Deployment deployment = MANIFESTS.single(Deployment.class, module);
			PodSpec pod = deployment.getSpec().getTemplate().getSpec();
			Container container = single(pod.getContainers(), module + "'s containers");
			assertThat(container.getImage()).as(module + "'s image")
				.isEqualTo("flywheel/" + module + ":" + version(module));
			int port = serverPort(module);
			assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort)
				.as(module + "'s container port (application.yaml's server.port)")
				.containsExactly(port);
			Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
			assertThat(deployment.getSpec().getSelector().getMatchLabels()).as(module + "'s selector").isNotEmpty();
			assertThat(podLabels).as(module + "'s pod labels, which its selector selects")
				.containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

			Service service = MANIFESTS.single(Service.class, module);
			assertThat(service.getSpec().getSelector()).as(module + " Service's selector").isNotEmpty();
			assertThat(podLabels).as(module + "'s pod labels, which its Service selects")
				.containsAllEntriesOf(service.getSpec().getSelector());
			ServicePort servicePort = single(service.getSpec().getPorts(), module + " Service's ports");
			assertThat(servicePort.getPort()).as(module + " Service's port: the one the services know it by")
				.isEqualTo(port);
			assertThat(resolve(servicePort.getTargetPort(), container)).as(module + " Service's targetPort")
				.isEqualTo(port);

			Map<String, Probe> probes = new LinkedHashMap<>();
			probes.put("readiness", container.getReadinessProbe());
			probes.put("liveness", container.getLivenessProbe());
			probes.put("startup", container.getStartupProbe());
			probes.forEach((kind, probe) -> {
				assertThat(probe).as(module + "'s " + kind + " probe").isNotNull();
				HTTPGetAction get = probe.getHttpGet();
				assertThat(get.getPath()).as(module + "'s " + kind + " probe")
					.isEqualTo(kind.equals("readiness") ? "/actuator/health/readiness" : "/actuator/health/liveness");
				assertThat(resolve(get.getPort(), container)).as(module + "'s " + kind + " probe port").isEqualTo(port);
			});
			assertThat(container.getResources().getRequests()).as(module + "'s requests")
				.containsOnlyKeys("cpu", "memory");
			assertThat(container.getResources().getLimits()).as(module + "'s limits").containsOnlyKeys("cpu", "memory");
		}
	}

	@Test
	void theInferenceServiceAndTheRouterScaleOnTheirDeployments() {
		List<HorizontalPodAutoscaler> autoscalers = MANIFESTS.of(HorizontalPodAutoscaler.class);
		assertThat(autoscalers).extracting(hpa -> hpa.getSpec().getScaleTargetRef().getName())
			.containsExactlyInAnyOrder("inference-service", "ab-router");
		for (HorizontalPodAutoscaler hpa : autoscalers) {
			assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
			var target = hpa.getSpec().getScaleTargetRef();
			assertThat(target.getKind()).isEqualTo("Deployment");
			assertThat(target.getApiVersion()).isEqualTo("apps/v1");
			assertThat(MANIFESTS.single(Deployment.class, target.getName())).isNotNull();
			assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThan(hpa.getSpec().getMaxReplicas());
			assertThat(hpa.getSpec().getMetrics()).isNotEmpty();
		}
	}

	@Test
	void prometheusScrapesEveryServiceAtActuatorPrometheus() {
		GenericKubernetesResource monitor = single(MANIFESTS.of(GenericKubernetesResource.class), "ServiceMonitors");
		assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
		assertThat(monitor.getAdditionalProperties()).containsOnlyKeys("spec");
		Map<String, Object> spec = YamlTree.map(monitor.getAdditionalProperties(), "spec");
		assertThat(spec).containsOnlyKeys("selector", "endpoints");
		Map<String, Object> selector = YamlTree.map(spec, "selector");
		assertThat(selector).containsOnlyKeys("matchLabels");
		Map<String, Object> matchLabels = YamlTree.map(selector, "matchLabels");
		Map<String, Object> endpoint = YamlTree.asMap(single(YamlTree.list(spec, "endpoints"), "endpoints"),
				"endpoint");
		assertThat(endpoint).containsOnlyKeys("port", "path", "interval");
		assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
		for (String module : MODULES) {
			Service service = MANIFESTS.single(Service.class, module);
			assertThat(service.getMetadata().getLabels()).as(module + " Service's labels")
				.containsAllEntriesOf(asStrings(matchLabels));
			assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName)
				.as(module + " Service's port names")
				.contains(String.valueOf(endpoint.get("port")));
		}
	}

	@Test
	void everySecretReferenceResolvesAndTheRegistryKeepsItsArtifactsOnS3() {
		Map<String, Set<String>> secrets = new LinkedHashMap<>();
		for (Secret secret : MANIFESTS.of(Secret.class)) {
			Set<String> keys = new TreeSet<>();
			if (secret.getStringData() != null) {
				keys.addAll(secret.getStringData().keySet());
			}
			if (secret.getData() != null) {
				keys.addAll(secret.getData().keySet());
			}
			secrets.put(secret.getMetadata().getName(), keys);
		}
		for (PodSpec pod : pods()) {
			for (Container container : pod.getContainers()) {
				for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
					if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
						var ref = env.getValueFrom().getSecretKeyRef();
						assertThat(secrets).as(container.getName() + "'s " + env.getName() + ": Secret " + ref.getName())
							.containsKey(ref.getName());
						assertThat(secrets.get(ref.getName())).as(container.getName() + "'s " + env.getName()
								+ ": key of Secret " + ref.getName())
							.contains(ref.getKey());
					}
				}
				for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
					assertThat(secrets).as(container.getName() + "'s envFrom").containsKey(from.getSecretRef().getName());
				}
			}
		}
		Map<String, EnvVar> registry = env(MANIFESTS.single(Deployment.class, "model-registry"));
		assertThat(registry.get("FLYWHEEL_REGISTRY_ARTIFACTSTORE").getValue()).isEqualTo("s3");
		assertThat(registry).containsKeys("FLYWHEEL_REGISTRY_S3_ENDPOINT", "FLYWHEEL_REGISTRY_S3_BUCKET",
				"FLYWHEEL_REGISTRY_S3_ACCESSKEY", "FLYWHEEL_REGISTRY_S3_SECRETKEY",
				"FLYWHEEL_REGISTRY_S3_PATHSTYLEACCESS", "FLYWHEEL_SECURITY_TOKEN", "SPRING_R2DBC_URL");
		assertThat(registry.get("FLYWHEEL_SECURITY_TOKEN").getValueFrom().getSecretKeyRef().getKey())
			.as("the token the router and monitoring send is the registry's")
			.isEqualTo(env(MANIFESTS.single(Deployment.class, "ab-router")).get("FLYWHEEL_SECURITY_TOKEN")
				.getValueFrom()
				.getSecretKeyRef()
				.getKey())
			.isEqualTo(env(MANIFESTS.single(Deployment.class, "monitoring")).get("FLYWHEEL_REGISTRY_TOKEN")
				.getValueFrom()
				.getSecretKeyRef()
				.getKey())
			.as("monitoring's own token (its retraining trigger; it refuses to listen beyond loopback without one)")
			.isEqualTo(env(MANIFESTS.single(Deployment.class, "monitoring")).get("FLYWHEEL_SECURITY_TOKEN")
				.getValueFrom()
				.getSecretKeyRef()
				.getKey());
	}

	@Test
	void everyServiceUrlNamesAServiceOnItsPort() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		MANIFESTS.of(Service.class)
			.forEach(s -> ports.put(s.getMetadata().getName(), s.getSpec().getPorts().get(0).getPort()));
		int urls = 0;
		for (Deployment deployment : MANIFESTS.of(Deployment.class)) {
			for (EnvVar env : env(deployment).values()) {
				if (env.getValue() != null && env.getValue().startsWith("http://")) {
					URI url = URI.create(env.getValue());
					assertThat(ports).as(deployment.getMetadata().getName() + "'s " + env.getName())
						.containsEntry(url.getHost(), url.getPort());
					urls++;
				}
			}
		}
		assertThat(urls).as("service URLs").isGreaterThanOrEqualTo(7);
		assertThat(env(MANIFESTS.single(Deployment.class, "ab-router")).get("FLYWHEEL_INFERENCE_MODELS").getValue())
			.as("the models the router routes: those the inference service serves")
			.isEqualTo(env(MANIFESTS.single(Deployment.class, "inference-service")).get("FLYWHEEL_INFERENCE_MODELS")
				.getValue());
	}

	@Test
	void monitoringLaunchesJobsWithTheRightsItNeedsAndSharesItsHomeWithThem() {
		Deployment monitoring = MANIFESTS.single(Deployment.class, "monitoring");
		Map<String, EnvVar> env = env(monitoring);
		assertThat(env.get("FLYWHEEL_MONITORING_RETRAINING_LAUNCHER").getValue()).isEqualTo("kubernetes");

		String account = monitoring.getSpec().getTemplate().getSpec().getServiceAccountName();
		assertThat(MANIFESTS.single(ServiceAccount.class, account)).isNotNull();
		RoleBinding binding = single(MANIFESTS.of(RoleBinding.class).stream()
			.filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
					&& s.getName().equals(account)))
			.toList(), "RoleBindings of " + account);
		assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("flywheel");
		assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
		Role role = MANIFESTS.single(Role.class, binding.getRoleRef().getName());
		for (String resource : List.of("batch/jobs", "/pods", "/pods/log", "/configmaps")) {
			String group = resource.substring(0, resource.indexOf('/'));
			String name = resource.substring(resource.indexOf('/') + 1);
			assertThat(role.getRules().stream()
				.filter(rule -> rule.getApiGroups().contains(group) && rule.getResources().contains(name))
				.map(PolicyRule::getVerbs)
				.flatMap(List::stream)).as(account + " may on " + resource)
				.contains("create", "get", "list", "watch", "delete");
		}

		String claim = env.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_VOLUME_CLAIMNAME").getValue();
		String mountPath = env.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_VOLUME_MOUNTPATH").getValue();
		assertThat(MANIFESTS.single(PersistentVolumeClaim.class, claim)).isNotNull();
		assertThat(mountOf(monitoring.getSpec().getTemplate().getSpec(), claim))
			.as("where monitoring mounts its claim: its home, under which the snapshots are")
			.isEqualTo(mountPath)
			.isEqualTo(constant("KubernetesJobSettings.java", "DEFAULT_MOUNT_PATH"))
			.isEqualTo(Dockerfile.read(ROOT.resolve("monitoring/Dockerfile")).environment().get("FLYWHEEL_HOME"));
		String secret = env.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_ENVFROMSECRET").getValue();
		assertThat(MANIFESTS.single(Secret.class, secret).getStringData()).containsKey("MLFLOW_TRACKING_TOKEN");
		assertThat(env.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_IMAGE").getValue())
			.isEqualTo(single(monitoring.getSpec().getTemplate().getSpec().getContainers(), "containers").getImage());
	}

	@Test
	void theTrainingJobTemplateIsWhatTheLauncherCreates() {
		Job job = single(MANIFESTS.of(Job.class), "Jobs");
		assertThat(MANIFESTS.fileOf(job)).isEqualTo(TRAINING_JOB);
		PodSpec pod = job.getSpec().getTemplate().getSpec();
		Container container = single(pod.getContainers(), "the Job's containers");
		Map<String, EnvVar> monitoring = env(MANIFESTS.single(Deployment.class, "monitoring"));

		assertThat(container.getName()).isEqualTo(constant("KubernetesJobSpec.java", "CONTAINER"));
		assertThat(container.getImage()).as("the launcher's default image")
			.isEqualTo(constant("KubernetesJobSettings.java", "DEFAULT_IMAGE"))
			.isEqualTo(monitoring.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_IMAGE").getValue());
		assertThat(container.getCommand()).as("the launcher's default command").isEqualTo(defaultCommand());
		String specDirectory = constant("KubernetesJobSpec.java", "SPEC_DIRECTORY");
		assertThat(container.getArgs()).containsExactly("train", "--spec",
				specDirectory + "/" + constant("KubernetesJobSpec.java", "SPEC_FILE"), "--registry",
				monitoring.get("FLYWHEEL_REGISTRY_URL").getValue());
		assertThat(pod.getRestartPolicy()).isEqualTo("Never");
		assertThat(job.getSpec().getBackoffLimit()).isZero();
		assertThat(job.getSpec().getActiveDeadlineSeconds()).isPositive();
		assertThat(job.getMetadata().getLabels()).containsEntry(
				constant("KubernetesJobSpec.java", "MANAGED_BY"), constant("KubernetesJobSpec.java", "MANAGER"))
			.containsKeys(constant("KubernetesJobSpec.java", "JOB_ID_LABEL"),
					constant("KubernetesJobSpec.java", "MODEL_LABEL"));
		assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
		assertThat(container.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
		assertThat(container.getResources().getLimits()).containsOnlyKeys("cpu", "memory");

		String claim = monitoring.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_VOLUME_CLAIMNAME").getValue();
		assertThat(mountOf(pod, claim)).as("the snapshots, where monitoring has them")
			.isEqualTo(monitoring.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_VOLUME_MOUNTPATH").getValue());
		assertThat(single(container.getEnvFrom(), "envFrom").getSecretRef().getName())
			.isEqualTo(monitoring.get("FLYWHEEL_MONITORING_RETRAINING_KUBERNETES_ENVFROMSECRET").getValue());
		Volume spec = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
		assertThat(container.getVolumeMounts()).filteredOn(m -> m.getName().equals(spec.getName()))
			.extracting(VolumeMount::getMountPath)
			.containsExactly(specDirectory);
		assertThat(MANIFESTS.single(ConfigMap.class, spec.getConfigMap().getName()).getData())
			.containsOnlyKeys(constant("KubernetesJobSpec.java", "SPEC_FILE"));
	}

	// --- the manifests

	/** Every resource of every manifest, by file. */
	private record Manifests(Map<String, List<HasMetadata>> all) {

		static Manifests load() {
			KubernetesSerialization serialization = new KubernetesSerialization();
			Map<String, List<HasMetadata>> all = new LinkedHashMap<>();
			try (Stream<Path> files = Files.list(K8S)) {
				for (Path file : files.sorted().toList()) {
					String name = file.getFileName().toString();
					if (!name.endsWith(".yaml") || name.equals("kustomization.yaml")) {
						continue;
					}
					try (InputStream in = Files.newInputStream(file)) {
						Object loaded = serialization.unmarshal(in);
						List<HasMetadata> resources = new ArrayList<>();
						for (Object each : (loaded instanceof List<?> list) ? list : List.of(loaded)) {
							if (!(each instanceof HasMetadata resource)) {
								throw new AssertionError(name + " holds something that is not a resource: " + each);
							}
							resources.add(resource);
						}
						all.put(name, resources);
					}
					catch (RuntimeException ex) {
						throw new AssertionError(name + " is not valid Kubernetes YAML: " + ex.getMessage(), ex);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return new Manifests(all);
		}

		Set<String> files() {
			return all.keySet();
		}

		<T extends HasMetadata> List<T> of(Class<T> type) {
			return all.values()
				.stream()
				.flatMap(List::stream)
				.filter(r -> r.getClass() == type)
				.map(type::cast)
				.toList();
		}

		<T extends HasMetadata> T single(Class<T> type, String name) {
			return KubernetesManifestsTests.single(
					of(type).stream().filter(r -> name.equals(r.getMetadata().getName())).toList(),
					type.getSimpleName() + " " + name);
		}

		String fileOf(HasMetadata resource) {
			return all.entrySet()
				.stream()
				.filter(e -> e.getValue().contains(resource))
				.map(Map.Entry::getKey)
				.findFirst()
				.orElseThrow();
		}

	}

	private static List<PodSpec> pods() {
		List<PodSpec> pods = new ArrayList<>();
		MANIFESTS.of(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
		MANIFESTS.of(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
		return pods;
	}

	private static Map<String, EnvVar> env(Deployment deployment) {
		Map<String, EnvVar> env = new LinkedHashMap<>();
		single(deployment.getSpec().getTemplate().getSpec().getContainers(), "containers").getEnv()
			.forEach(e -> env.put(e.getName(), e));
		return env;
	}

	/** A port given by number or by the name of one of the container's ports, as its number. */
	private static int resolve(IntOrString port, Container container) {
		if (port.getIntVal() != null) {
			return port.getIntVal();
		}
		return container.getPorts()
			.stream()
			.filter(p -> port.getStrVal().equals(p.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
	}

	/** Where the pod mounts the volume of {@code claim}. */
	private static String mountOf(PodSpec pod, String claim) {
		Volume volume = single(pod.getVolumes()
			.stream()
			.filter(v -> v.getPersistentVolumeClaim() != null
					&& claim.equals(v.getPersistentVolumeClaim().getClaimName()))
			.toList(), "volumes of claim " + claim);
		return single(pod.getContainers().get(0)
			.getVolumeMounts()
			.stream()
			.filter(m -> m.getName().equals(volume.getName()))
			.toList(), "mounts of " + volume.getName()).getMountPath();
	}

	/**
	 * Fields the model put aside because it has no property for them ({@code additionalProperties}), anywhere under
	 * {@code node}: the typed model's getters are walked down to its leaves.
	 */
	private static void unknownFields(Object node, String path, List<String> found) {
		unknownFields(node, path, found, new IdentityHashMap<>());
	}

	private static void unknownFields(Object node, String path, List<String> found, Map<Object, Boolean> seen) {
		if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
				|| node instanceof Enum<?> || seen.put(node, Boolean.TRUE) != null) {
			return;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> unknownFields(value, path + "." + key, found, seen));
			return;
		}
		if (node instanceof Collection<?> collection) {
			int i = 0;
			for (Object each : collection) {
				unknownFields(each, path + "[" + i++ + "]", found, seen);
			}
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.")) {
			return;
		}
		for (Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
					|| !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
				continue;
			}
			boolean extra = getter.getName().equals("getAdditionalProperties");
			// the model's JSON properties only; the any-getter, getAdditionalProperties, is @JsonIgnore'd too
			if (!extra && getter.isAnnotationPresent(JsonIgnore.class)) {
				continue;
			}
			Object value;
			try {
				value = getter.invoke(node);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				continue;
			}
			if (extra) {
				CHECKED.incrementAndGet();
				if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
					found.add(path + ": " + unknown.keySet());
				}
				continue;
			}
			String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
			unknownFields(value, path + "." + property, found, seen);
		}
	}

	// --- the launcher's defaults, from its source (this module does not have monitoring's classes)

	private static String constant(String file, String name) {
		Matcher matcher = Pattern.compile("\\b" + name + " = \"([^\"]*)\";").matcher(read(LAUNCH.resolve(file)));
		if (!matcher.find()) {
			fail("no String constant " + name + " in " + file + ": where are the launcher's defaults now?");
		}
		return matcher.group(1);
	}

	private static List<String> defaultCommand() {
		Matcher matcher = Pattern.compile("\\bDEFAULT_COMMAND = List\\.of\\(([^)]*)\\);")
			.matcher(read(LAUNCH.resolve("KubernetesJobSettings.java")));
		if (!matcher.find()) {
			fail("no DEFAULT_COMMAND = List.of(...) in KubernetesJobSettings.java");
		}
		List<String> command = new ArrayList<>();
		Matcher literal = Pattern.compile("\"([^\"]*)\"").matcher(matcher.group(1));
		while (literal.find()) {
			command.add(literal.group(1));
		}
		return command;
	}

	// --- the modules

	private static String version(String module) {
		try {
			Element project = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(ROOT.resolve(module).resolve("pom.xml").toFile())
				.getDocumentElement();
			var versions = project.getElementsByTagName("version");
			// the parent's version (a module's pom has none of its own), the first <version> in document order
			return versions.item(0).getTextContent().strip();
		}
		catch (Exception ex) {
			throw new AssertionError("Cannot read " + module + "/pom.xml", ex);
		}
	}

	private static int serverPort(String module) {
		Path yaml = ROOT.resolve(module).resolve("src/main/resources/application.yaml");
		return Integer.parseInt(YamlTree.text(YamlTree.map(YamlTree.read(yaml), "server"), "port"));
	}

	private static Map<String, String> asStrings(Map<String, Object> map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
		return strings;
	}

	private static <T> T single(List<T> items, String what) {
		if (items == null || items.size() != 1) {
			throw new AssertionError("expected one of " + what + ", found " + items);
		}
		return items.get(0);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
