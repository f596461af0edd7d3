package dev.flywheel.platform.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * {@code ./flywheel demo}: the closed loop told step by step on a running platform. A champion and a deliberately
 * weaker challenger of {@code iris-species} are trained from the shipped dataset; simulated users ask for predictions
 * through the router while their labels come back a few seconds later, until the router's A/B test decides (and rolls
 * the weaker version back). Then the flowers change (grown petals): monitoring sees the drift, retrains the model with
 * the labelled production data, the new version passes its gate and becomes the challenger of a new A/B test, which
 * the router decides and promotes; the inference service then serves it. A summary table ends it, with the address
 * of monitoring's report page.
 *
 * <p>
 * The launcher starts the services with the demo's short windows first (see {@code ./flywheel}, {@code demo}); this
 * program only talks to them over HTTP and runs the training job. {@code --quick} asks for smaller numbers (what the
 * test suite runs).
 */
public final class Demo {

	static final String MODEL = "iris-species";

	private final Options options;

	private final Http http = new Http();

	private final Narration narration;

	private final SimulatedUsers users;

	private final Training training;

	Demo(Options options, PrintStream out) {
		this.options = options;
		this.narration = new Narration(out, System.console() != null);
		this.users = new SimulatedUsers(http, options.router(), MODEL, options.root().resolve("datasets/iris.csv"),
				300, 2026);
		this.training = new Training(options.trainingJar(), options.registry(), options.logs());
	}

	/** The launcher's addresses and paths, and the scale. */
	record Options(String registry, String inference, String router, String monitoring, Path root, Path trainingJar,
			Path logs, boolean quick) {

		static Options parse(String[] args) {
			Map<String, String> values = new HashMap<>();
			boolean quick = false;
			for (Iterator<String> it = List.of(args).iterator(); it.hasNext();) {
				String arg = it.next();
				if (arg.equals("--quick")) {
					quick = true;
				}
				else if (arg.startsWith("--") && it.hasNext()) {
					values.put(arg.substring(2), it.next());
				}
				else {
					throw new DemoFailure("unexpected argument '" + arg + "'; usage: Demo --registry URL --inference URL "
							+ "--router URL --monitoring URL --root DIR --training-jar JAR --logs DIR [--quick]");
				}
			}
			for (String required : List.of("registry", "inference", "router", "monitoring", "root", "training-jar",
					"logs")) {
				if (!values.containsKey(required)) {
					throw new DemoFailure("--" + required + " is missing");
				}
			}
			return new Options(values.get("registry"), values.get("inference"), values.get("router"),
					values.get("monitoring"), Path.of(values.get("root")), Path.of(values.get("training-jar")),
					Path.of(values.get("logs")), quick);
		}

		/** Labelled samples per variant an A/B test needs before it may decide. */
		int minSamples() {
			return quick ? 60 : 200;
		}

		/** Requests a second the simulated users send while an A/B test or the drift alarm waits for them. */
		int rate() {
			return 60;
		}

		/** Requests a second while nothing waits for them (they leave the machine to the retraining job). */
		int quietRate() {
			return 20;
		}

	}

	public static void main(String[] args) {
		try {
			new Demo(Options.parse(args), System.out).run();
		}
		catch (DemoFailure failure) {
			System.out.flush();
			System.err.println();
			System.err.println("The demo stopped: " + failure.getMessage());
			System.err.println("The services' logs: ./flywheel logs [registry|inference|router|monitoring]");
			System.exit(1);
		}
	}

	void run() {
		requireNoModelYet();
		String champion = trainChampion();
		String weak = trainWeakChallenger(champion);
		abTestRejectsTheWeakerVersion(champion, weak);
		steadyTrafficRaisesNoAlarm(champion);
		JsonNode job = followTheRetraining(driftTriggersARetraining(champion));
		abTestPromotesTheRetrainedVersion(job.path("ab_test_id").asString(), job.path("new_version").asString());
		String report = options.monitoring() + "/api/v1/models/" + MODEL + "/report";
		narration.summary();
		System.out.println();
		System.out.println("  Monitoring's report of " + MODEL + ": " + report);
		System.out.println("  A/B tests: " + options.router() + "/api/v1/ab-tests?model=" + MODEL
				+ "   retraining jobs: " + options.monitoring() + "/api/v1/retraining/jobs?model=" + MODEL);
	}

	private void requireNoModelYet() {
		Http.Answer model = http.lookUp(registryApi("registered-models/get?name=" + MODEL));
		if (model.ok()) {
			throw new DemoFailure("the registry already holds '" + MODEL + "' (from an earlier run): the demo starts "
					+ "from an empty platform; run ./flywheel demo --reset to start again from scratch");
		}
	}

	private String trainChampion() {
		narration.step("Training the champion",
				"The training pipeline trains a small neural network on the iris dataset (examples/demo/iris.yaml), gates",
				"it on held-out rows and publishes it to the registry as a verified bundle: the first version is champion.");
		Training.Trained trained = training.train(options.root().resolve("examples/demo/iris.yaml"), "demo-train-1.log");
		narration.say("version %s (%s): held-out accuracy %.3f on %d rows, gate %s", trained.version(),
				trained.alias(), trained.accuracy(), trained.heldOutRows(), trained.gate());
		narration.result("train the champion", "v" + trained.version() + " accuracy " + format(trained.accuracy()));
		return trained.version();
	}

	private String trainWeakChallenger(String champion) {
		narration.step("Training a weaker challenger",
				"A deliberately weak version (examples/demo/iris-weak.yaml: 2 hidden units, 3 epochs) becomes the",
				"challenger. The inference service loads both versions as the registry's events tell it.");
		Training.Trained trained = training.train(options.root().resolve("examples/demo/iris-weak.yaml"),
				"demo-train-2.log");
		narration.say("version %s (%s): held-out accuracy %.3f, gate %s", trained.version(), trained.alias(),
				trained.accuracy(), trained.gate());
		for (String version : List.of(champion, trained.version())) {
			Waiting.until(Duration.ofMinutes(2), "the inference service to load version " + version,
					() -> http.lookUp(options.inference() + "/v2/models/" + MODEL + "/versions/" + version + "/ready")
						.ok());
		}
		narration.say("the inference service serves versions %s and %s", champion, trained.version());
		narration.result("train a weaker challenger", "v" + trained.version() + " accuracy " + format(trained.accuracy()));
		return trained.version();
	}

	private void abTestRejectsTheWeakerVersion(String champion, String weak) {
		narration.step("A/B test: champion against the weaker challenger",
				"The router splits 300 simulated users 50/50 (each keeps his variant), forwards their requests to the",
				"inference service and takes their labels, which come back 1-4 s later. It looks at the evidence every",
				"second with an always-valid sequential test, and decides once it is sure; the action rolls back the loser.",
				"Guardrails: the challenger may not add more than 1 point of errors nor push p99 latency over 2 s.");
		JsonNode test = http.post(options.router() + "/api/v1/ab-tests", Map.of("model", MODEL, "variants",
				List.of(Map.of("name", "champion", "version", champion, "weight", 50),
						Map.of("name", "challenger", "version", weak, "weight", 50)),
				"reward", Map.of("kind", "label"), "min_samples", options.minSamples(), "action", "rollback",
				"guardrails", Map.of("max_error_rate_increase", 0.01, "p99_latency_ms", 2000)));
		String id = test.path("id").asString();
		narration.say("A/B test %s: version %s against version %s, at least %d labels each", id, champion, weak,
				options.minSamples());
		JsonNode decided = runUntilDecided(id, SimulatedUsers.Flowers.AS_TRAINED);
		JsonNode decision = decided.path("decision");
		JsonNode comparison = decision.path("evidence").path("comparisons").path(0);
		narration.say("decided: %s", decided.path("status_reason").asString());
		Waiting.until(Duration.ofMinutes(1), "the router's rollback in the registry",
				() -> !http.lookUp(registryApi("registered-models/alias?name=" + MODEL + "&alias=challenger")).ok());
		narration.say("the registry no longer calls version %s challenger; the champion serves everyone", weak);
		String winner = decision.path("winner").asString("");
		narration.result("A/B test v" + champion + " vs v" + weak,
				(winner.isEmpty() ? "champion kept" : "winner " + winner) + ", lift "
						+ format(comparison.path("estimate").asDouble()) + ", p "
						+ format(comparison.path("p_value").asDouble()) + "; v" + weak + " rolled back");
	}

	private void steadyTrafficRaisesNoAlarm(String champion) {
		narration.step("Steady traffic: no drift",
				"Monitoring compares each version's live traffic with the profile of its training data (PSI,",
				"Wasserstein, KS per feature) over a sliding window, judged every 2 s here.");
		long since = System.currentTimeMillis();
		JsonNode[] drift = { null };
		boolean judged = users.run(SimulatedUsers.Flowers.AS_TRAINED, options.quietRate(), Duration.ofMinutes(2), () -> {
			drift[0] = driftOf(champion);
			narration.progress("%d requests, %d labels | %s", users.requests(), users.labelled(), describe(drift[0]));
		}, () -> drift[0] != null && "judged".equals(drift[0].path("status").asString())
				&& java.time.Instant.parse(drift[0].path("evaluated_at").asString()).toEpochMilli() > since + 5000);
		if (!judged) {
			throw new DemoFailure("monitoring judged no window of version " + champion + " within 2 minutes: "
					+ drift[0]);
		}
		if (drift[0].path("alarm").asBoolean()) {
			throw new DemoFailure("monitoring raised a drift alarm on traffic drawn from the training data: " + drift[0]);
		}
		narration.say("window of %d rows judged: %s, no alarm", drift[0].path("window").path("rows").asLong(),
				describe(drift[0]));
		narration.result("steady traffic", "no drift alarm (" + drift[0].path("window").path("rows").asLong()
				+ " rows)");
	}

	private JsonNode driftTriggersARetraining(String champion) {
		narration.step("The flowers change: drift",
				"From now on the users' flowers have petals 3 cm longer and 1 cm wider, a variety the model never saw.",
				"Monitoring's drift alarm, held over two windows, triggers a retraining job from the champion's spec and",
				"the labelled traffic (by then, labels of the new flowers too).");
		JsonNode[] drift = { null };
		JsonNode[] job = { null };
		boolean[] alarmSeen = { false };
		boolean launched = users.run(SimulatedUsers.Flowers.GROWN_PETALS, options.rate(), Duration.ofMinutes(3),
				() -> {
					drift[0] = driftOf(champion);
					if (!alarmSeen[0] && drift[0] != null && drift[0].path("alarm").asBoolean()) {
						alarmSeen[0] = true;
						narration.say("drift alarm on version %s: %s", champion, describe(drift[0]));
					}
					List<JsonNode> jobs = jobs();
					job[0] = jobs.isEmpty() ? null : jobs.get(0);
					narration.progress("%d requests, %d labels | %s", users.requests(), users.labelled(),
							describe(drift[0]));
				}, () -> job[0] != null && alarmSeen[0]);
		if (!launched) {
			throw new DemoFailure("no drift alarm and retraining job within 3 minutes of the shift; drift now: "
					+ drift[0] + "; jobs: " + job[0]);
		}
		narration.say("retraining job %s launched (reason: %s)", job[0].path("id").asString(),
				job[0].path("reason").asString());
		narration.result("shift the traffic", "drift alarm, job reason " + job[0].path("reason").asString());
		return job[0];
	}

	/** Follows the job to its end, with a few users on (their labels come too late for this job); the job then. */
	private JsonNode followTheRetraining(JsonNode launched) {
		narration.step("Retraining",
				"The job exports the labelled production data as a content-addressed snapshot, trains from the",
				"champion's spec plus the snapshot, gates the candidate against the champion on the same held-out rows,",
				"and publishes it as challenger; monitoring then starts an A/B test of it on the router.");
		String id = launched.path("id").asString();
		JsonNode[] job = { launched };
		long started = System.nanoTime();
		boolean ended = users.run(SimulatedUsers.Flowers.GROWN_PETALS, options.quietRate(), Duration.ofMinutes(8), () -> {
			job[0] = http.get(options.monitoring() + "/api/v1/retraining/jobs/" + id);
			narration.progress("job %s %s for %.0f s | %d requests, %d labels", id.substring(0, 8),
					job[0].path("status").asString(), (System.nanoTime() - started) / 1e9, users.requests(),
					users.labelled());
		}, () -> !List.of("preparing", "running").contains(job[0].path("status").asString()));
		if (!ended) {
			throw new DemoFailure("retraining job " + id + " still runs after 8 minutes: " + job[0]);
		}
		if (!"succeeded".equals(job[0].path("status").asString()) || job[0].path("ab_test_id").asString("").isEmpty()) {
			throw new DemoFailure("retraining job " + id + " ended " + job[0].path("status").asString() + ": " + job[0]);
		}
		String version = job[0].path("new_version").asString();
		JsonNode tags = http.get(registryApi("model-versions/get?name=" + MODEL + "&version=" + version))
			.path("model_version").path("tags");
		narration.say("snapshot of %d labelled rows (sha256 %s...), version %s, gate %s", job[0].path("snapshot")
			.path("rows").asLong(), job[0].path("snapshot").path("digest").asString().substring(0, 12), version,
				tag(tags, "flywheel.gate"));
		narration.say("A/B test %s started: version %s (challenger) against the champion",
				job[0].path("ab_test_id").asString(), version);
		narration.result("retrain", "v" + version + " from " + job[0].path("snapshot").path("rows").asLong()
				+ " labelled rows, gate " + tag(tags, "flywheel.gate"));
		return job[0];
	}

	private void abTestPromotesTheRetrainedVersion(String id, String retrained) {
		narration.step("A/B test of the retrained version",
				"The same users, the new flowers, their labels: the router decides and promotes the winner to champion;",
				"the inference service follows the alias move at once.");
		Waiting.until(Duration.ofMinutes(2), "the inference service to load version " + retrained,
				() -> http.lookUp(options.inference() + "/v2/models/" + MODEL + "/versions/" + retrained + "/ready")
					.ok());
		JsonNode decided = runUntilDecided(id, SimulatedUsers.Flowers.GROWN_PETALS);
		narration.say("decided: %s", decided.path("status_reason").asString());
		String winner = decided.path("decision").path("winner").asString("");
		Waiting.until(Duration.ofMinutes(1), "version " + retrained + " to become champion in the registry",
				() -> retrained.equals(http.lookUp(registryApi("registered-models/alias?name=" + MODEL
						+ "&alias=champion")).body().path("model_version").path("version").asString()));
		Waiting.until(Duration.ofMinutes(1), "the inference service to serve version " + retrained + " as champion",
				() -> retrained.equals(http.post(options.inference() + "/v1/models/" + MODEL + ":predict",
						Map.of("instances", List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length",
								4.4, "petal_width", 1.2))))
					.path("model_version").asString()));
		narration.say("version %s is champion and the inference service serves it", retrained);
		JsonNode comparison = decided.path("decision").path("evidence").path("comparisons").path(0);
		narration.result("A/B test of v" + retrained, "winner " + winner + ", lift "
				+ format(comparison.path("estimate").asDouble()) + ", p " + format(comparison.path("p_value").asDouble())
				+ "; v" + retrained + " promoted and served");
	}

	/** Runs the users until the test is decided; its results with the decision. */
	private JsonNode runUntilDecided(String id, SimulatedUsers.Flowers flowers) {
		String results = options.router() + "/api/v1/ab-tests/" + id + "/results";
		JsonNode[] now = { null };
		boolean decided = users.run(flowers, options.rate(), Duration.ofMinutes(5), () -> {
			now[0] = http.get(results);
			narration.progress("%d requests, %d labels | %s", users.requests(), users.labelled(), describeLook(now[0]));
		}, () -> !"running".equals(now[0].path("status").asString()));
		users.sendAllLabels();
		if (!decided) {
			throw new DemoFailure("A/B test " + id + " did not decide within 5 minutes: " + describeLook(now[0]));
		}
		if (!"decided".equals(now[0].path("status").asString())) {
			throw new DemoFailure("A/B test " + id + " ended " + now[0].path("status").asString() + ": "
					+ now[0].path("status_reason").asString());
		}
		Waiting.until(Duration.ofMinutes(1), "the router to act on its decision", () -> "done"
			.equals((now[0] = http.get(results)).path("decision").path("action_state").asString()));
		return now[0];
	}

	private static String describeLook(JsonNode results) {
		List<String> parts = new ArrayList<>();
		for (JsonNode variant : results.path("look").path("variants")) {
			parts.add(String.format(Locale.ROOT, "%s (v%s) %d labels, accuracy %s", variant.path("name").asString(),
					variant.path("model_version").asString("?"), variant.path("rewards").asLong(),
					variant.path("reward_mean").isNumber() ? format(variant.path("reward_mean").asDouble()) : "-"));
		}
		JsonNode comparison = results.path("look").path("comparisons").path(0);
		if (comparison.path("estimate").isNumber()) {
			parts.add(String.format(Locale.ROOT, "lift %s [%s, %s] p %s", format(comparison.path("estimate").asDouble()),
					format(comparison.path("lower").asDouble()), format(comparison.path("upper").asDouble()),
					format(comparison.path("p_value").asDouble())));
		}
		return String.join(" | ", parts);
	}

	private JsonNode driftOf(String version) {
		Http.Answer answer = http.lookUp(options.monitoring() + "/api/v1/models/" + MODEL + "/drift?version=" + version);
		return answer.ok() ? answer.body().path("versions").path(0) : null;
	}

	private static String describe(JsonNode drift) {
		if (drift == null || !"judged".equals(drift.path("status").asString())) {
			return "drift: no window judged yet";
		}
		List<String> features = new ArrayList<>();
		for (JsonNode feature : drift.path("features")) {
			if (feature.path("psi").isNumber()) {
				features.add(feature.path("name").asString() + " PSI " + format(feature.path("psi").asDouble()));
			}
		}
		return drift.path("window").path("rows").asLong() + " rows in the window, " + String.join(", ", features)
				+ (drift.path("alarm").asBoolean() ? ": ALARM" : "");
	}

	private List<JsonNode> jobs() {
		List<JsonNode> jobs = new ArrayList<>();
		http.get(options.monitoring() + "/api/v1/retraining/jobs?model=" + MODEL).path("jobs").forEach(jobs::add);
		return jobs;
	}

	private String registryApi(String path) {
		return options.registry() + "/api/2.0/mlflow/" + path;
	}

	private static String tag(JsonNode tags, String key) {
		for (JsonNode tag : tags) {
			if (key.equals(tag.path("key").asString())) {
				return tag.path("value").asString();
			}
		}
		return "?";
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.3f", value);
	}

}
