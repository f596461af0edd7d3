package dev.flywheel.platform.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;

/**
 * Users of an application that asks the platform for iris species: each request comes from one of a fixed set of
 * users (its unit key, so a user keeps his A/B test variant), carries a flower drawn from the iris dataset, and goes
 * through the router's plain predict API. The true species comes back later, as it would from users confirming or
 * correcting the answer: each label is sent to the router's feedback API a random 1 to 4 seconds after its prediction.
 */
final class SimulatedUsers {

	static final String[] FEATURES = { "sepal_length", "sepal_width", "petal_length", "petal_width" };

	/** How the flowers the users send differ from the training data. */
	enum Flowers {

		/** as in the dataset */
		AS_TRAINED(0, 0),
		/** petals 3 cm longer and 1 cm wider: a new variety the model never saw */
		GROWN_PETALS(3.0, 1.0);

		final double longer;

		final double wider;

		Flowers(double longer, double wider) {
			this.longer = longer;
			this.wider = wider;
		}

	}

	private record Flower(double[] measures, String species) {
	}

	private record Label(long dueNanos, String predictionId, String species) {
	}

	private static final long TICK_NANOS = 250_000_000L;

	private final Http http;

	private final String predictUrl;

	private final String feedbackUrl;

	private final List<Flower> flowers;

	private final int users;

	private final SplittableRandom random;

	private final PriorityQueue<Label> labels = new PriorityQueue<>(
			(a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));

	private final Map<String, Integer> answersByVersion = new LinkedHashMap<>();

	private long requests;

	private long labelled;

	SimulatedUsers(Http http, String router, String model, Path iris, int users, long seed) {
		this.http = http;
		this.predictUrl = router + "/v1/models/" + model + ":predict";
		this.feedbackUrl = router + "/api/v1/feedback";
		this.flowers = read(iris);
		this.users = users;
		this.random = new SplittableRandom(seed);
	}

	private static List<Flower> read(Path iris) {
		try {
			List<Flower> flowers = new ArrayList<>();
			List<String> lines = Files.readAllLines(iris);
			for (String line : lines.subList(1, lines.size())) {
				String[] cells = line.split(",");
				double[] measures = new double[FEATURES.length];
				for (int f = 0; f < FEATURES.length; f++) {
					measures[f] = Double.parseDouble(cells[f]);
				}
				flowers.add(new Flower(measures, cells[FEATURES.length]));
			}
			return flowers;
		}
		catch (IOException | RuntimeException ex) {
			throw new DemoFailure("cannot read the iris dataset " + iris + ": " + ex);
		}
	}

	/**
	 * Sends {@code flowers} at {@code perSecond} requests a second, with their labels later, until {@code done} says
	 * so (asked every quarter second, after {@code tick}) or {@code limit} passes; then sends the labels still due.
	 *
	 * @return whether {@code done} said so before the limit
	 */
	boolean run(Flowers kind, int perSecond, Duration limit, Runnable tick, BooleanSupplier done) {
		long start = System.nanoTime();
		long deadline = start + limit.toNanos();
		long nextTick = start;
		long sent = 0;
		while (true) {
			long now = System.nanoTime();
			if (now >= nextTick) {
				sendLabels(now);
				tick.run();
				if (done.getAsBoolean()) {
					return true;
				}
				if (now > deadline) {
					return false;
				}
				nextTick = now + TICK_NANOS;
			}
			long due = start + sent * 1_000_000_000L / perSecond;
			if (due > now) {
				sleep(Math.min(due, nextTick) - now);
			}
			else {
				predict(kind, now);
				sent++;
			}
		}
	}

	/** Sends every label still waiting, whatever its delay (the end of a phase). */
	void sendAllLabels() {
		sendLabels(Long.MAX_VALUE);
	}

	private void predict(Flowers kind, long now) {
		Flower flower = flowers.get(random.nextInt(flowers.size()));
		Map<String, Object> instance = new LinkedHashMap<>();
		for (int f = 0; f < FEATURES.length; f++) {
			double shift = f == 2 ? kind.longer : f == 3 ? kind.wider : 0;
			instance.put(FEATURES[f], Math.round((flower.measures()[f] + shift) * 10) / 10.0);
		}
		Http.Answer answer = http.postFor(predictUrl, Map.of("instances", List.of(instance)),
				Map.of("X-Flywheel-Unit", "user-" + random.nextInt(users)));
		if (!answer.ok()) {
			throw new DemoFailure("POST " + predictUrl + " answered " + answer.status() + ": " + answer.text());
		}
		requests++;
		JsonNode body = answer.body();
		answersByVersion.merge(body.path("model_version").asString("?"), 1, Integer::sum);
		String id = body.path("prediction_ids").path(0).asString(null);
		if (id != null) {
			labels.add(new Label(now + 1_000_000_000L + random.nextLong(3_000_000_000L), id, flower.species()));
		}
	}

	private void sendLabels(long now) {
		List<Map<String, String>> due = new ArrayList<>();
		while (!labels.isEmpty() && labels.peek().dueNanos() <= now && due.size() < 1000) {
			Label label = labels.poll();
			due.add(Map.of("prediction_id", label.predictionId(), "label", label.species()));
		}
		if (!due.isEmpty()) {
			http.post(feedbackUrl, due);
			labelled += due.size();
			if (!labels.isEmpty() && labels.peek().dueNanos() <= now) {
				sendLabels(now);
			}
		}
	}

	private static void sleep(long nanos) {
		try {
			Thread.sleep(Math.max(1, nanos / 1_000_000L));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DemoFailure("interrupted");
		}
	}

	long requests() {
		return requests;
	}

	long labelled() {
		return labelled;
	}

	/** How many answers each model version gave, since the last call. */
	Map<String, Integer> takeAnswersByVersion() {
		Map<String, Integer> answers = new LinkedHashMap<>(answersByVersion);
		answersByVersion.clear();
		return answers;
	}

}
