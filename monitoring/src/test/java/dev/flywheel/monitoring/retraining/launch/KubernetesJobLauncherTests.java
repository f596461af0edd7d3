package dev.flywheel.monitoring.retraining.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The launcher against fabric8's mock API server in CRUD mode, which stores what is created but runs nothing: each
 * test plays the cluster's part, creating the Job's pod with its container's exit code, serving its log and setting
 * the Job's conditions. The mock server does not collect garbage (ownerReferences), so the ConfigMap's deletion is
 * the launcher's own explicit one. One server for the class, over plain HTTP (what
 * {@code @EnableKubernetesMockClient(crud = true)} sets up, without its server per test), each test with jobs of its
 * own.
 */
class KubernetesJobLauncherTests {

	private static final String NAMESPACE = "training";

	private static final URI REGISTRY = URI.create("http://model-registry:5000");

	private static final Duration LIMIT = Duration.ofMinutes(30);

	private static final Duration GENEROUS = Duration.ofSeconds(5);

	static KubernetesMockServer server;

	static KubernetesClient client;

	@TempDir
	Path temp;

	private KubernetesJobLauncher launcher;

	@BeforeAll
	static void startServer() {
		Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
		server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
				new KubernetesMixedDispatcher(responses), false);
		server.init();
		client = server.createClient();
	}

	@AfterAll
	static void stopServer() {
		client.close();
		server.destroy();
	}

	@BeforeEach
	void setUp() throws InterruptedException {
		this.launcher = new KubernetesJobLauncher(client, settings());
		while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
			// what earlier tests asked is theirs
		}
	}

	private static KubernetesJobSettings settings() {
		return KubernetesJobSettings.defaults()
			.withNamespace(NAMESPACE, Duration.ofMillis(20))
			.withVolume("monitoring-home", "/var/lib/flywheel")
			.withAccess("flywheel-training", "flywheel-training");
	}

	@Test
	void theJobReachesTheClusterWithItsImageCommandSpecSnapshotLimitsAndLabels() throws Exception {
		JobRequest request = request("5c3a1f0e-job-1", Map.of("EXTRA", "yes", "OMP_NUM_THREADS", "2"));

		LaunchedJob launched = this.launcher.launch(request);

		String name = "flywheel-train-5c3a1f0e-job-1";
		assertThat(launched.handle()).isEqualTo(NAMESPACE + "/" + name);
		Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
		assertThat(job.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.kubernetes.io/managed-by", "flywheel-monitoring", "flywheel.dev/job-id", "5c3a1f0e-job-1",
						"flywheel.dev/model", "iris-species"));
		assertThat(job.getSpec().getBackoffLimit()).isZero();
		assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(LIMIT.toSeconds());
		assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
		assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
			.isEqualTo(job.getMetadata().getLabels());
		PodSpec pod = job.getSpec().getTemplate().getSpec();
		assertThat(pod.getRestartPolicy()).isEqualTo("Never");
		assertThat(pod.getServiceAccountName()).isEqualTo("flywheel-training");
		assertThat(pod.getAutomountServiceAccountToken()).isFalse();
		assertThat(pod.getContainers()).hasSize(1);
		Container container = pod.getContainers().get(0);
		assertThat(container.getName()).isEqualTo("training");
		assertThat(container.getImage()).isEqualTo("flywheel/monitoring:0.1.0-SNAPSHOT");
		assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
		assertThat(container.getCommand()).containsExactly("java", "-jar", "/opt/flywheel/training-pipeline.jar");
		assertThat(container.getArgs()).containsExactly("train", "--spec", "/etc/flywheel/job/spec.yaml",
				"--registry", "http://model-registry:5000");
		assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("OMP_NUM_THREADS", "2"),
					org.assertj.core.groups.Tuple.tuple("EXTRA", "yes"));
		assertThat(container.getEnvFrom()).singleElement()
			.satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("flywheel-training"));
		assertThat(container.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(
				Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")));
		assertThat(container.getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(
				Map.of("cpu", new Quantity("2"), "memory", new Quantity("2Gi")));
		assertThat(container.getVolumeMounts()).extracting(m -> m.getName() + " " + m.getMountPath() + " "
				+ m.getReadOnly())
			.containsExactlyInAnyOrder("spec /etc/flywheel/job true", "snapshots /var/lib/flywheel true");
		assertThat(pod.getVolumes()).extracting(v -> v.getName() + " "
				+ ((v.getConfigMap() != null) ? "configMap " + v.getConfigMap().getName()
						: "claim " + v.getPersistentVolumeClaim().getClaimName()))
			.containsExactlyInAnyOrder("spec configMap " + name + "-spec", "snapshots claim monitoring-home");

		ConfigMap spec = client.configMaps().inNamespace(NAMESPACE).withName(name + "-spec").get();
		assertThat(spec.getData()).containsExactly(Map.entry("spec.yaml", Files.readString(request.spec())));
		assertThat(spec.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
			assertThat(owner.getKind()).isEqualTo("Job");
			assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
			assertThat(owner.getName()).isEqualTo(name);
			assertThat(owner.getUid()).isNotBlank().isEqualTo(job.getMetadata().getUid());
		});
	}

	@Test
	void aCompletedJobSucceedsWithTheVersionItsLogNamesAndIsDeletedWithItsPodsAndSpec() throws Exception {
		JobRequest request = request("job-2", Map.of());
		LaunchedJob launched = this.launcher.launch(request);
		String name = name(launched);
		end(name, 0, TrainOutputSamples.PUBLISHED, "Complete", "CompletionsReached");

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.newVersion()).isEqualTo("3");
		assertThat(outcome.reason()).isEqualTo("published iris-species version 3 as challenger");
		assertThat(outcome.logTail()).endsWith("Gate: passed", "Bundle digest: " + TrainOutputSamples.DIGEST);
		assertThat(Files.readAllLines(request.workDirectory().resolve(LocalProcessLauncher.LOG)))
			.isEqualTo(TrainOutputSamples.PUBLISHED.lines().toList());
		assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get()).isNull();
		assertThat(client.configMaps().inNamespace(NAMESPACE).withName(name + "-spec").get()).isNull();
		List<RecordedRequest> deletes = new ArrayList<>();
		for (RecordedRequest r = server.takeRequest(1, TimeUnit.MILLISECONDS); r != null; r = server
			.takeRequest(1, TimeUnit.MILLISECONDS)) {
			if (r.getMethod().equals("DELETE") && r.getPath().contains("/jobs/" + name)) {
				deletes.add(r);
			}
		}
		assertThat(deletes).singleElement()
			.satisfies(delete -> assertThat(delete.getUtf8Body()).contains("\"propagationPolicy\":\"Background\""));
		assertThat(launched.await()).isSameAs(outcome);
	}

	@Test
	void aJobThatExited3FailedOnTheRegistry() throws Exception {
		LaunchedJob launched = this.launcher.launch(request("job-3", Map.of()));
		end(name(launched), 3, "Run 1 in experiment 'iris-species' at http://model-registry:5000\n"
				+ "error: the registry at http://model-registry:5000 answered 503\n", "Failed", "BackoffLimitExceeded");

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(outcome.exitCode()).isEqualTo(3);
		assertThat(outcome.newVersion()).isNull();
		assertThat(outcome.reason()).isEqualTo("the registry could not be reached or refused a call (exit 3): the"
				+ " registry at http://model-registry:5000 answered 503");
	}

	@Test
	void aJobThatExited1WithTheGatesVerdictWasRejected() throws Exception {
		LaunchedJob launched = this.launcher.launch(request("job-4", Map.of()));
		end(name(launched), 1, TrainOutputSamples.REJECTED, "Failed", "BackoffLimitExceeded");

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
		assertThat(outcome.exitCode()).isEqualTo(1);
		assertThat(outcome.newVersion()).isEqualTo("4");
		assertThat(outcome.reason()).contains("rejected", "accuracy 0.7000 is below the minimum 0.9300");
	}

	@Test
	void aJobStoppedAtItsDeadlineTimedOut() throws Exception {
		LaunchedJob launched = this.launcher.launch(request("job-5", Map.of()));
		end(name(launched), 143, "epoch 1/200  loss 1.0712\n", "Failed", "DeadlineExceeded");

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.TIMED_OUT);
		assertThat(outcome.exitCode()).isNull();
		assertThat(outcome.reason()).isEqualTo("ran past its time limit of PT30M and was stopped");
		assertThat(outcome.logTail()).containsExactly("epoch 1/200  loss 1.0712");
	}

	@Test
	void aFailedJobWithoutAContainerExitCodeFailsWithKubernetesReason() throws Exception {
		LaunchedJob launched = this.launcher.launch(request("job-6", Map.of()));
		setCondition(name(launched), "Failed", "BackoffLimitExceeded");

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(outcome.exitCode()).isNull();
		assertThat(outcome.reason()).contains("failed without a container exit code: BackoffLimitExceeded");
	}

	@Test
	void finishedJobsAreKeptWhenSoSet() throws Exception {
		KubernetesJobLauncher keeping = new KubernetesJobLauncher(client, settings().withKeepFinishedJobs(true));
		LaunchedJob launched = keeping.launch(request("job-7", Map.of()));
		end(name(launched), 0, TrainOutputSamples.PUBLISHED, "Complete", "CompletionsReached");

		assertThat(launched.outcome().block(GENEROUS).status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name(launched)).get()).isNotNull();
		assertThat(client.configMaps().inNamespace(NAMESPACE).withName(name(launched) + "-spec").get()).isNotNull();
	}

	@Test
	void anotherLauncherReattachesToAJobByItsHandleAndFollowsItToItsEnd() throws Exception {
		JobRequest request = request("job-8", Map.of());
		String handle = this.launcher.launch(request).handle();

		LaunchedJob reattached = new KubernetesJobLauncher(client, settings()).reattach(handle,
				request.workDirectory());
		assertThat(reattached.handle()).isEqualTo(handle);
		end(handle.substring(handle.indexOf('/') + 1), 0, TrainOutputSamples.PUBLISHED, "Complete",
				"CompletionsReached");

		JobOutcome outcome = reattached.outcome().block(GENEROUS);
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(outcome.newVersion()).isEqualTo("3");
	}

	@Test
	void aJobThatIsGoneVanished() throws Exception {
		JobOutcome missing = this.launcher.reattach(NAMESPACE + "/flywheel-train-never-started", this.temp)
			.outcome()
			.block(GENEROUS);
		assertThat(missing.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(missing.exitCode()).isNull();
		assertThat(missing.reason()).contains("Kubernetes Job " + NAMESPACE + "/flywheel-train-never-started vanished");

		LaunchedJob launched = this.launcher.launch(request("job-9", Map.of()));
		client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name(launched)).delete();
		assertThat(launched.outcome().block(GENEROUS).reason()).contains("vanished");
	}

	@Test
	void aHandleThatIsNotNamespaceSlashNameIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.launcher.reattach("12345", this.temp))
			.withMessageContaining("namespace/name");
		assertThatIllegalArgumentException().isThrownBy(() -> this.launcher.reattach("a/b/c", this.temp));
	}

	@Test
	void aSecondJobWithTheSameIdIsRefused() throws Exception {
		this.launcher.launch(request("job-10", Map.of()));
		assertThatIllegalStateException().isThrownBy(() -> this.launcher.launch(request("job-10", Map.of())))
			.withMessageContaining("already exists");
	}

	@Test
	void aSnapshotTheJobCouldNotReadIsRefusedBeforeAnythingIsCreated() throws Exception {
		JobRequest outside = request("job-11", Map.of(), "/tmp/elsewhere/snapshot-1.csv");
		assertThatIllegalStateException().isThrownBy(() -> this.launcher.launch(outside))
			.withMessageContaining("is not under /var/lib/flywheel");
		KubernetesJobLauncher withoutVolume = new KubernetesJobLauncher(client,
				KubernetesJobSettings.defaults().withNamespace(NAMESPACE, Duration.ofMillis(20)));
		assertThatIllegalStateException().isThrownBy(() -> withoutVolume.launch(request("job-11", Map.of())))
			.withMessageContaining("volume.claim-name");
		assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("flywheel-train-job-11").get())
			.isNull();
	}

	@Test
	void anApiServerThatDoesNotAnswerFailsTheLaunchWithinTheApiTimeout() throws Exception {
		// accepts connections (the kernel's backlog) but never answers
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
			try (KubernetesJobLauncher unreachable = KubernetesJobLauncher
				.connect(settings().withApi(url, Duration.ofMillis(300)))) {
				long start = System.nanoTime();
				assertTimeoutPreemptively(Duration.ofSeconds(8),
						() -> assertThatThrownBy(() -> unreachable.launch(request("job-12", Map.of())))
							.isInstanceOf(UncheckedIOException.class)
							.hasMessageContaining("Could not start training job job-12 as Kubernetes Job "
									+ NAMESPACE + "/flywheel-train-job-12")
							.hasMessageContaining("did not answer within PT0.3S"));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
		}
	}

	@Test
	void aJobKubernetesDoesNotStopAtItsDeadlineIsDeletedAndTimedOut() throws Exception {
		KubernetesJobLauncher impatient = new KubernetesJobLauncher(client, settings(), Duration.ZERO);
		JobRequest request = request("job-13", Map.of());
		LaunchedJob launched = impatient.launch(new JobRequest(request.jobId(), request.spec(), REGISTRY,
				Duration.ofSeconds(1), request.workDirectory()));

		JobOutcome outcome = launched.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.TIMED_OUT);
		assertThat(outcome.reason()).isEqualTo("ran past its time limit of PT1S and was stopped");
		assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name(launched)).get()).isNull();
	}

	@Test
	void aJobWhoseApiServerStaysUnreachablePastItsDeadlineIsGivenUpOn() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		KubernetesJobSettings unreachable = settings().withApi(URI.create("http://127.0.0.1:" + closed),
				Duration.ofMillis(300));
		try (KubernetesJobLauncher lost = KubernetesJobLauncher.connect(unreachable, Duration.ZERO)) {
			JobOutcome outcome = lost.reattach(NAMESPACE + "/flywheel-train-job-14", this.temp)
				.outcome()
				.block(GENEROUS);

			assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
			assertThat(outcome.exitCode()).isNull();
			assertThat(outcome.reason()).startsWith("lost Kubernetes Job " + NAMESPACE + "/flywheel-train-job-14: the"
					+ " Kubernetes API server at http://127.0.0.1:" + closed + "/ did not answer within PT0.3S")
				.endsWith("the Job may still run");
		}
	}

	@Test
	void jobNamesAndLabelValuesAreWhatKubernetesAccepts() {
		assertThat(KubernetesJobSpec.jobName("5C3A_1f0e/x")).isEqualTo("flywheel-train-5c3a-1f0e-x");
		assertThat(KubernetesJobSpec.jobName("a".repeat(80))).hasSize(63);
		assertThat(KubernetesJobSpec.jobName("x".repeat(47) + "-----y")).doesNotEndWith("-").hasSize(62);
		assertThat(KubernetesJobSpec.labelValue("-iris species!-")).isEqualTo("iris-species");
		assertThat(KubernetesJobSpec.labelValue("m".repeat(70))).hasSize(63);
	}

	// --- the cluster's part

	private JobRequest request(String jobId, Map<String, String> environment) throws IOException {
		return request(jobId, environment, "/var/lib/flywheel/monitoring/snapshots/snapshot-9f2b.csv");
	}

	private JobRequest request(String jobId, Map<String, String> environment, String snapshot) throws IOException {
		Path work = Files.createDirectories(this.temp.resolve(jobId));
		Path spec = Files.writeString(work.resolve("spec.yaml"), """
				model: iris-species
				dataset:
				  path: /opt/flywheel/datasets/iris.csv
				  label: species
				feedback:
				  path: %s
				  parent_version: 1
				""".formatted(snapshot));
		return new JobRequest(jobId, spec, REGISTRY, LIMIT, work, environment);
	}

	private static String name(LaunchedJob launched) {
		return launched.handle().substring(launched.handle().indexOf('/') + 1);
	}

	/** The Job's pod ran and exited {@code exitCode} after printing {@code log}; the Job ends as {@code type}. */
	private static void end(String name, int exitCode, String log, String type, String reason) {
		String pod = name + "-x7k2p";
		client.pods()
			.inNamespace(NAMESPACE)
			.resource(new PodBuilder().withNewMetadata()
				.withName(pod)
				.addToLabels("job-name", name)
				.endMetadata()
				.withNewStatus()
				.withPhase((exitCode == 0) ? "Succeeded" : "Failed")
				.addNewContainerStatus()
				.withName("training")
				.withNewState()
				.withNewTerminated()
				.withExitCode(exitCode)
				.endTerminated()
				.endState()
				.endContainerStatus()
				.endStatus()
				.build())
			.create();
		server.expect()
			.get()
			.withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod
					+ "/log?pretty=false&container=training&tailLines=" + KubernetesJobLauncher.LOG_LINES)
			.andReturn(200, log)
			.always();
		setCondition(name, type, reason);
	}

	private static void setCondition(String name, String type, String reason) {
		Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
		client.batch()
			.v1()
			.jobs()
			.inNamespace(NAMESPACE)
			.resource(new JobBuilder(job).withNewStatus()
				.addNewCondition()
				.withType(type)
				.withStatus("True")
				.withReason(reason)
				.endCondition()
				.endStatus()
				.build())
			.updateStatus();
	}

}
