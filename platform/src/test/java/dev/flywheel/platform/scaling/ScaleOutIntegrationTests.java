package dev.flywheel.platform.scaling;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.platform.scaling.Replicas.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of every service on one PostgreSQL, each service behind a balancer as a Kubernetes Service puts it
 * ({@link Replicas}), driven as a cluster's users drive it: a weak version and a strong one trained through the
 * registries' balancer, an A/B test between them, users sending predictions to both routers and their labels a
 * second later to either; one replica of every service killed with SIGKILL while the traffic runs. In order:
 * <ol>
 * <li>versions registered through either registry are served, each by its number, by both inference replicas, and
 * versions created at once through both registries are numbered without gaps or repeats;</li>
 * <li>each variant's counts are the sums of what each router assigned, units counted once across both, feedback
 * counted once whichever router took it and the copies sent to the other router reported as already recorded;
 * predictions and labels reach monitoring whichever replica took them;</li>
 * <li>with one of each killed, every user's request is still answered, the test is decided once, the strong version
 * promoted, served as champion by both inference replicas (the killed one once started again), and every replica
 * started again agrees;</li>
 * <li>a retraining asked of both monitoring replicas at once starts one job.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIntegrationTests {

	private static final Path ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();

	private static final Pattern REGISTERED = Pattern.compile("Model (\\S+) version (\\d+) -> alias (\\S+)");

	/** Feedback waits this long after its prediction: time for the router that answered to write it down. */
	private static final Duration LABEL_DELAY = Duration.ofSeconds(1);

	/**
	 * A label answered "unknown" is sent again every {@link #UNKNOWN_RETRY} for this long: the router that answered
	 * writes every 200 ms, but a write that waits for the database (behind another replica's lock, on a starved
	 * machine) fails only after the router's database timeout (10 s), and its rows go with the next write.
	 */
	private static final Duration UNKNOWN_PATIENCE = Duration.ofSeconds(15);

	private static final Duration UNKNOWN_RETRY = Duration.ofSeconds(1);

	@TempDir
	static Path home;

	private static Replicas cluster;

	private static List<String[]> iris;

	private static String testId;

	private static final Users users = new Users();

	@BeforeAll
	static void startTheCluster() throws Exception {
		iris = Files.readAllLines(ROOT.resolve("datasets/iris.csv"), StandardCharsets.UTF_8)
			.stream()
			.skip(1)
			.map(line -> line.split(","))
			.toList();
		Map<String, String> databases = new HashMap<>();
		for (String service : List.of("registry", "router", "monitoring")) {
			databases.put(service, TestDatabases.r2dbcUrl(TestDatabases.createPostgresDatabase()));
		}
		cluster = new Replicas(ROOT, home, databases);
		cluster.start(() -> {
			train("examples/demo/iris-weak.yaml", "1", "champion");
			train("examples/demo/iris.yaml", "2", "challenger");
		});
	}

	@AfterAll
	static void stopTheCluster() throws Exception {
		if (cluster != null) {
			cluster.close();
		}
	}

	/** Runs the training job against the registries' balancer and checks what it registered. */
	private static void train(String spec, String version, String alias) {
		try {
			Path log = home.resolve("train-" + version + ".log");
			Process job = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					Replicas.jar(ROOT, "training-pipeline").toString(), "train", "--spec", ROOT.resolve(spec).toString(),
					"--registry", cluster.registry.url())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			assertThat(job.waitFor(3, TimeUnit.MINUTES)).as("training " + spec).isTrue();
			String output = Files.readString(log);
			assertThat(job.exitValue()).as(output).isZero();
			Matcher registered = REGISTERED.matcher(output);
			assertThat(registered.find()).as(output).isTrue();
			assertThat(registered.group(2) + " " + registered.group(3)).isEqualTo(version + " " + alias);
		}
		catch (Exception ex) {
			throw new AssertionError("training " + spec + " failed", ex);
		}
	}

	@Test
	@Order(1)
	void versionsRegisteredThroughEitherRegistryAreServedByBothInferenceReplicas() {
		for (ServiceProcess registry : cluster.registries) {
			assertThat(aliasVersion(registry.url(), "champion")).as(registry.name()).isEqualTo("1");
			assertThat(aliasVersion(registry.url(), "challenger")).as(registry.name()).isEqualTo("2");
		}
		for (ServiceProcess inference : cluster.inferences) {
			for (String version : List.of("1", "2")) {
				Json.Answer answer = Json.post(inference.url() + "/v2/models/" + MODEL + "/versions/" + version
						+ "/infer", oip(iris.get(0)));
				assertThat(answer.status()).as(inference.name() + ": " + answer.text()).isEqualTo(200);
				assertThat(answer.body().path("model_version").asString()).as(inference.name()).isEqualTo(version);
			}
		}
	}

	@Test
	@Order(2)
	void versionsCreatedAtOnceThroughBothRegistriesAreNumberedWithoutGapsOrRepeats() throws Exception {
		String model = "parallel-" + System.nanoTime();
		assertThat(Json.post(cluster.registries[0].url() + "/api/2.0/mlflow/registered-models/create",
				Map.of("name", model)).status()).isEqualTo(200);
		List<CompletableFuture<Json.Answer>> creates = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String registry = cluster.registries[i % 2].url();
			String source = "file:///models/" + i;
			creates.add(CompletableFuture.supplyAsync(() -> Json.post(
					registry + "/api/2.0/mlflow/model-versions/create", Map.of("name", model, "source", source))));
		}
		List<Integer> versions = new ArrayList<>();
		for (CompletableFuture<Json.Answer> create : creates) {
			Json.Answer created = create.get(30, TimeUnit.SECONDS);
			assertThat(created.status()).as(created.text()).isEqualTo(200);
			versions.add(created.body().path("model_version").path("version").asInt());
		}
		assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
	}

	@Test
	@Order(3)
	void countsAreSummedOverTheRoutersAndEachUnitAndLabelCountedOnce() throws Exception {
		Json.Answer created = Json.post(cluster.routers[0].url() + "/api/v1/ab-tests", Map.of("model", MODEL,
				"variants", List.of(Map.of("name", "champion", "version", "1", "weight", 50),
						Map.of("name", "challenger", "version", "2", "weight", 50)),
				"reward", Map.of("kind", "label"), "min_samples", 100, "action", "promote"));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		testId = created.body().path("id").asString();
		// the second router takes the test from the shared database on its next refresh
		await().atMost(Duration.ofSeconds(10))
			.until(() -> testId.equals(users.predict(cluster.routers[1], "probe", iris.get(0)).testId()));

		// 80 users, each asking twice, alternately of each router; labels a second later through the other router
		for (int request = 0; request < 160; request++) {
			ServiceProcess router = cluster.routers[request % 2];
			Prediction prediction = users.predict(router, "user-" + (request % 80), iris.get(request % iris.size()));
			assertThat(prediction.testId()).isEqualTo(testId);
			users.labelLater(prediction, cluster.routers[(request + 1) % 2]);
		}
		users.awaitLabels();
		System.out.println("Scale-out, counting test: " + users.lateLabels());
		assertThat(users.outcomes()).as("labels sent once each; the routers' warnings:\n" + routerWarnings())
			.containsOnlyKeys("accepted");

		// a copy of every label to the router that did not take it: known, already recorded, nothing added
		for (Prediction prediction : users.labelled()) {
			Json.Answer copy = Json.post(prediction.router().url() + "/api/v1/feedback",
					Map.of("prediction_id", prediction.id(), "label", prediction.label()));
			assertThat(copy.text()).contains("already_recorded");
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode look = Json.get(cluster.routers[1].url() + "/api/v1/ab-tests/" + testId + "/results").body()
				.path("look");
			long units = 0;
			long feedback = 0;
			for (JsonNode variant : look.path("variants")) {
				String name = variant.path("name").asString();
				long assigned = 0;
				for (ServiceProcess router : cluster.routers) {
					assigned += counter(router, "flywheel_router_assignments_total", name);
				}
				assertThat(variant.path("assignments").asLong()).as("requests of " + name + ", summed over routers")
					.isEqualTo(assigned);
				units += variant.path("units").asLong();
				feedback += variant.path("feedback").asLong();
			}
			assertThat(units).as("distinct users (and the probe) over both routers").isEqualTo(81);
			assertThat(feedback).as("labels counted once each").isEqualTo(160);
		});

		// every prediction reached monitoring through either inference replica and either monitoring replica, and its
		// label through either router
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			for (Prediction prediction : users.labelled()) {
				Json.Answer logged = Json.get(cluster.monitoring.url() + "/api/v1/predictions/" + prediction.id());
				assertThat(logged.status()).as(logged.text()).isEqualTo(200);
				assertThat(logged.body().path("model_version").asString()).isEqualTo(prediction.version());
				assertThat(logged.body().path("feedback").path("label").asString()).isEqualTo(prediction.label());
			}
		});
	}

	@Test
	@Order(4)
	void withOneReplicaOfEachKilledTheTestIsDecidedOnceAndTheWinnerServedEverywhere() throws Exception {
		CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
			for (int request = 0; System.nanoTime() < deadline; request++) {
				ServiceProcess router = cluster.routers[request % 2];
				users.labelLater(users.predict(router, "user-" + (request % 200), iris.get(request % iris.size())),
						cluster.routers[(request + 1) % 2]);
				if (request % 20 == 0 && decided(cluster.routers[0])) {
					return;
				}
			}
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> users.labelled().size() >= 200);
		long killedAt = System.currentTimeMillis();
		cluster.routers[1].kill();
		cluster.inferences[1].kill();
		cluster.registries[0].kill();
		cluster.monitorings[1].kill();

		traffic.get(3, TimeUnit.MINUTES);
		users.awaitLabels();
		System.out.println("Scale-out, with one replica of each killed (labels of tests 3 and 4): " + users.lateLabels());
		assertThat(users.failures()).as("requests no router answered").isEmpty();

		JsonNode results = Json.get(cluster.routers[0].url() + "/api/v1/ab-tests/" + testId + "/results").body();
		assertThat(results.path("status").asString()).as(results.toString()).isEqualTo("decided");
		assertThat(results.path("decision").path("winner").asString()).isEqualTo("challenger");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
				Json.get(cluster.routers[0].url() + "/api/v1/ab-tests/" + testId + "/results").body()
					.path("decision").path("action_state").asString()).isEqualTo("done"));
		assertThat(aliasVersion(cluster.registries[1].url(), "champion")).isEqualTo("2");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
				Json.post(cluster.inferences[0].url() + "/v2/models/" + MODEL + "/infer", oip(iris.get(0))).body()
					.path("model_version").asString()).isEqualTo("2"));

		// labels the routers still called unknown when sent again are of predictions the killed router answered just
		// before it died (it writes what it answered every 200 ms); every other label was counted
		Map<String, Long> unknown = users.unknownLabels();
		assertThat(unknown).as("predictions whose label was unknown, with when they were answered; killed at " + killedAt
				+ "; the routers' warnings:\n" + routerWarnings())
			.allSatisfy((id, answeredAt) -> assertThat(killedAt - answeredAt).isLessThan(1000));
		// (after the decision the champion answers outside the test: those labels are accepted and not the test's)
		long accepted = users.labelled().stream().filter(prediction -> testId.equals(prediction.testId())).count();
		long counted = 0;
		for (JsonNode variant : results.path("look").path("variants")) {
			counted += variant.path("feedback").asLong();
		}
		assertThat(counted).as("labels accepted, each counted once").isEqualTo(accepted);

		// started again, every replica agrees with the survivors
		for (ServiceProcess replica : List.of(cluster.routers[1], cluster.inferences[1], cluster.registries[0],
				cluster.monitorings[1])) {
			replica.launch();
		}
		for (ServiceProcess replica : List.of(cluster.routers[1], cluster.inferences[1], cluster.registries[0],
				cluster.monitorings[1])) {
			replica.awaitReady();
		}
		assertThat(aliasVersion(cluster.registries[0].url(), "champion")).isEqualTo("2");
		assertThat(Json.post(cluster.inferences[1].url() + "/v2/models/" + MODEL + "/infer", oip(iris.get(0))).body()
			.path("model_version").asString()).isEqualTo("2");
		JsonNode again = Json.get(cluster.routers[1].url() + "/api/v1/ab-tests/" + testId + "/results").body();
		assertThat(again.path("decision").path("decided_at").asString())
			.isEqualTo(results.path("decision").path("decided_at").asString());
	}

	@Test
	@Order(5)
	void aRetrainingAskedOfBothMonitoringReplicasAtOnceStartsOneJob() throws Exception {
		for (ServiceProcess monitoring : cluster.monitorings) {
			await().atMost(Duration.ofSeconds(20)).until(
					() -> Json.get(monitoring.url() + "/api/v1/retraining/jobs?model=" + MODEL).status() == 200);
		}
		List<CompletableFuture<Json.Answer>> asked = new ArrayList<>();
		for (ServiceProcess monitoring : cluster.monitorings) {
			asked.add(CompletableFuture.supplyAsync(
					() -> Json.post(monitoring.url() + "/api/v1/models/" + MODEL + "/retrain?force=true", "{}")));
		}
		Map<Integer, Integer> statuses = new LinkedHashMap<>();
		List<String> answers = new ArrayList<>();
		for (CompletableFuture<Json.Answer> answer : asked) {
			Json.Answer answered = answer.get(30, TimeUnit.SECONDS);
			statuses.merge(answered.status(), 1, Integer::sum);
			answers.add(answered.status() + " " + answered.text());
		}
		assertThat(statuses).as("one launched, one refused while it runs: " + answers).isEqualTo(Map.of(202, 1, 409, 1));
		for (ServiceProcess monitoring : cluster.monitorings) {
			JsonNode jobs = Json.get(monitoring.url() + "/api/v1/retraining/jobs?model=" + MODEL).body();
			assertThat(jobs.path("jobs").size()).as(monitoring.name() + ": " + jobs).isEqualTo(1);
		}
	}

	private static String routerWarnings() {
		StringBuilder warnings = new StringBuilder();
		for (ServiceProcess router : cluster.routers) {
			warnings.append(router.name()).append(":\n").append(router.warnings()).append('\n');
		}
		return warnings.toString();
	}

	private static boolean decided(ServiceProcess router) {
		return "decided".equals(
				Json.get(router.url() + "/api/v1/ab-tests/" + testId).body().path("status").asString(""));
	}

	private static String aliasVersion(String registry, String alias) {
		Json.Answer answer = Json.get(registry + "/api/2.0/mlflow/registered-models/alias?name=" + MODEL + "&alias="
				+ alias);
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		return answer.body().path("model_version").path("version").asString();
	}

	/** The value of a router's counter for this test's variant, 0 when it has none. */
	private static long counter(ServiceProcess router, String name, String variant) {
		String text = Json.get(router.url() + "/actuator/prometheus").text();
		Matcher line = Pattern.compile("^" + name + "\\{([^}]*)\\} ([0-9.E+]+)$", Pattern.MULTILINE).matcher(text);
		while (line.find()) {
			if (line.group(1).contains("ab_test=\"" + testId + "\"") && line.group(1).contains("variant=\"" + variant + "\"")) {
				return (long) Double.parseDouble(line.group(2));
			}
		}
		return 0;
	}

	private static Map<String, Object> oip(String[] flower) {
		List<Double> features = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			features.add(Double.parseDouble(flower[i]));
		}
		return Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(1, 4), "datatype", "FP32", "data",
				List.of(features))));
	}

	/** A prediction a user got: which router answered, and the true label the user sends later. */
	record Prediction(String id, String testId, String version, String label, ServiceProcess router, long answeredAt) {
	}

	/**
	 * Users of the cluster: each prediction is asked of one router and, when no answer comes (the router is down) or
	 * the answer is 503, of the other; each label is sent {@link #LABEL_DELAY} later, to another router than the one
	 * that answered, the same way.
	 */
	private static final class Users {

		private final Map<String, Long> outcomes = new ConcurrentHashMap<>();

		private final Map<String, Long> unknown = new ConcurrentHashMap<>();

		/** Labels accepted only after being told "unknown", with how long after their prediction they were taken. */
		private final Map<String, Long> lateAccepted = new ConcurrentHashMap<>();

		private final List<Prediction> labelled = java.util.Collections.synchronizedList(new ArrayList<>());

		private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

		private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

		/** Each label on a thread of its own: a label waiting to be sent again must not hold up the others. */
		private final ExecutorService labelling = Executors.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, "label");
			thread.setDaemon(true);
			return thread;
		});

		Prediction predict(ServiceProcess first, String unit, String[] flower) {
			Map<String, Object> body = Map.of("instances", List.of(Map.of("sepal_length",
					Double.parseDouble(flower[0]), "sepal_width", Double.parseDouble(flower[1]), "petal_length",
					Double.parseDouble(flower[2]), "petal_width", Double.parseDouble(flower[3]))));
			String last = "";
			for (int attempt = 0; attempt < 6; attempt++) {
				ServiceProcess router = (attempt % 2 == 0) ? first : other(first);
				Json.Answer answer = Json.post(router.url() + "/v1/models/" + MODEL + ":predict", body,
						Map.of("X-Flywheel-Unit", unit));
				if (answer.status() == 200) {
					JsonNode json = answer.body();
					return new Prediction(json.path("prediction_ids").path(0).asString(),
							json.path("ab_test_id").asString(null), json.path("model_version").asString(), flower[4],
							router, System.currentTimeMillis());
				}
				last = router.name() + " answered " + answer.status() + ": " + answer.text();
				sleep(200);
			}
			failures.add(last);
			throw new AssertionError("no router answered a prediction: " + last);
		}

		void labelLater(Prediction prediction, ServiceProcess router) {
			CompletableFuture<?> label = CompletableFuture.runAsync(() -> label(prediction, router),
					CompletableFuture.delayedExecutor(LABEL_DELAY.toMillis(), TimeUnit.MILLISECONDS, labelling));
			pending.add(label);
			label.whenComplete((done, failed) -> pending.remove(label));
		}

		private void label(Prediction prediction, ServiceProcess first) {
			Map<String, Object> feedback = Map.of("prediction_id", prediction.id(), "label", prediction.label());
			long giveUpAt = System.nanoTime() + UNKNOWN_PATIENCE.toNanos();
			boolean toldUnknown = false;
			for (int attempt = 0; attempt < 6; attempt++) {
				ServiceProcess router = (attempt % 2 == 0) ? first : other(first);
				Json.Answer answer = Json.post(router.url() + "/api/v1/feedback", feedback);
				if (answer.status() == 200) {
					outcomes.merge("accepted", 1L, Long::sum);
					labelled.add(prediction);
					if (toldUnknown) {
						lateAccepted.put(prediction.id(), System.currentTimeMillis() - prediction.answeredAt());
					}
					return;
				}
				if (answer.status() == 404 && System.nanoTime() < giveUpAt) {
					toldUnknown = true;
					// not written down yet by the router that answered: a client told "unknown" sends the label
					// again a little later
					sleep(UNKNOWN_RETRY.toMillis());
					attempt--;
					continue;
				}
				if (answer.status() == 404) {
					outcomes.merge("unknown", 1L, Long::sum);
					unknown.put(prediction.id(), prediction.answeredAt());
					return;
				}
				if (answer.status() != 0 && answer.status() != 503) {
					failures.add("label of " + prediction.id() + ": " + answer.status() + " " + answer.text());
					return;
				}
				sleep(200);
			}
			failures.add("no router took the label of " + prediction.id());
		}

		private ServiceProcess other(ServiceProcess router) {
			return cluster.routers[0] == router ? cluster.routers[1] : cluster.routers[0];
		}

		void awaitLabels() {
			await().atMost(Duration.ofSeconds(60)).until(pending::isEmpty);
		}

		/**
		 * How many labels were accepted only after being told "unknown", and the longest time from an answer to its
		 * label's acceptance among them: what the next slow spell's failure is read against.
		 */
		String lateLabels() {
			return lateAccepted.size() + " label(s) accepted only after being told unknown (longest: "
					+ lateAccepted.values().stream().mapToLong(Long::longValue).max().orElse(0) + " ms after the answer)";
		}

		Map<String, Long> outcomes() {
			return Map.copyOf(outcomes);
		}

		Map<String, Long> unknownLabels() {
			return Map.copyOf(unknown);
		}

		List<Prediction> labelled() {
			synchronized (labelled) {
				return List.copyOf(labelled);
			}
		}

		List<String> failures() {
			return List.copyOf(failures);
		}

		private static void sleep(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
