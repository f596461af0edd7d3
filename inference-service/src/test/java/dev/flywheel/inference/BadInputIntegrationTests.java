package dev.flywheel.inference;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.inference.support.Http;
import dev.flywheel.inference.support.Http.Answer;
import dev.flywheel.inference.support.ServingFixture;
import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input on every prediction API (OIP, the plain API, MLflow scoring as JSON and as CSV) is a 4xx whose message
 * names the problem, never a 500 and never a stack trace; and good requests sent meanwhile are answered correctly.
 * The fixture limits requests to 1000 rows and 1 MB.
 */
class BadInputIntegrationTests {

	private static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

	private static final List<String> MIXED = List.of("size", "garden");

	private static final int MAX_ROWS = 1000;

	private static final int MAX_BYTES = 1024 * 1024;

	/** Good rows, and what DL4J computes for them. */
	private static final float[][] ROWS = { { 5.1f, 3.5f, 1.4f, 0.2f }, { 6.7f, 3.0f, 5.2f, 2.3f },
			{ 5.9f, 3.0f, 4.2f, 1.5f }, { 4.4f, 2.9f, 1.4f, 0.2f }, { 6.3f, 2.5f, 5.0f, 1.9f },
			{ 5.0f, 3.6f, 1.4f, 0.2f }, { 7.7f, 2.6f, 6.9f, 2.3f }, { 5.5f, 2.4f, 3.8f, 1.1f } };

	private static ServingFixture fixture;

	private static WebTestClient client;

	private static float[][] expected;

	@BeforeAll
	static void serve() throws Exception {
		fixture = ServingFixture.get();
		client = fixture.server.client();
		expected = TestModels.reference(fixture.irisV1, ROWS);
	}

	/**
	 * Rows as raw JSON tokens per column ({@code 5.1}, {@code "kew"}, {@code NaN}, {@code null}), which each API
	 * writes in its own form.
	 */
	record Batch(String model, List<String> columns, List<List<String>> rows) {

		static Batch iris(String... row) {
			return new Batch("iris", IRIS, List.of(List.of(row)));
		}

		/** A good iris row with {@code token} in place of one feature's value. */
		static Batch irisWith(String feature, String token) {
			List<String> row = new ArrayList<>(List.of("5.1", "3.5", "1.4", "0.2"));
			row.set(IRIS.indexOf(feature), token);
			return new Batch("iris", IRIS, List.of(row));
		}

		static Batch irisRows(int count) {
			List<List<String>> rows = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				float[] row = ROWS[i % ROWS.length];
				rows.add(List.of(String.valueOf(row[0]), String.valueOf(row[1]), String.valueOf(row[2]),
						String.valueOf(row[3])));
			}
			return new Batch("iris", IRIS, rows);
		}

		Batch withColumns(List<String> columns) {
			return new Batch(model, columns, rows);
		}

	}

	/** One prediction API: where it is, how it writes rows, and what its errors look like. */
	enum Api {

		OIP("application/json") {
			@Override
			String uri(String model) {
				return "/v2/models/" + model + "/infer";
			}

			@Override
			String body(Batch batch) {
				List<String> inputs = new ArrayList<>();
				for (int column = 0; column < batch.columns().size(); column++) {
					String name = batch.columns().get(column);
					int c = column;
					inputs.add("{\"name\": \"%s\", \"shape\": [%d], \"datatype\": \"%s\", \"data\": [%s]}".formatted(name,
							batch.rows().size(), name.equals("garden") ? "BYTES" : "FP64",
							batch.rows().stream().map(row -> row.get(c)).collect(Collectors.joining(", "))));
				}
				return "{\"inputs\": [" + String.join(", ", inputs) + "]}";
			}

			@Override
			String error(Answer answer, int status) {
				return Http.error(answer, status);
			}
		},

		PREDICT("application/json") {
			@Override
			String uri(String model) {
				return "/v1/models/" + model + ":predict";
			}

			@Override
			String body(Batch batch) {
				return "{\"instances\": " + records(batch) + "}";
			}

			@Override
			String error(Answer answer, int status) {
				return Http.error(answer, status);
			}
		},

		SCORING_JSON("application/json") {
			@Override
			String uri(String model) {
				return "/invocations?model=" + model;
			}

			@Override
			String body(Batch batch) {
				return "{\"dataframe_records\": " + records(batch) + "}";
			}

			@Override
			String error(Answer answer, int status) {
				return Http.mlflowError(answer, status, "BAD_REQUEST");
			}
		},

		SCORING_CSV("text/csv") {
			@Override
			String uri(String model) {
				return "/invocations?model=" + model;
			}

			@Override
			String body(Batch batch) {
				StringBuilder csv = new StringBuilder(String.join(",", batch.columns())).append("\r\n");
				for (List<String> row : batch.rows()) {
					csv.append(row.stream().map(Api::cell).collect(Collectors.joining(","))).append("\r\n");
				}
				return csv.toString();
			}

			@Override
			String error(Answer answer, int status) {
				return Http.mlflowError(answer, status, "BAD_REQUEST");
			}
		};

		final String contentType;

		Api(String contentType) {
			this.contentType = contentType;
		}

		abstract String uri(String model);

		abstract String body(Batch batch);

		/** Checks the error body of this API and returns its message. */
		abstract String error(Answer answer, int status);

		Answer post(WebTestClient client, Batch batch) {
			return Http.post(client, uri(batch.model()), contentType, body(batch));
		}

		static String records(Batch batch) {
			return batch.rows().stream().map(row -> IntStream.range(0, row.size())
				.mapToObj(i -> "\"" + batch.columns().get(i) + "\": " + row.get(i))
				.collect(Collectors.joining(", ", "{", "}"))).collect(Collectors.joining(", ", "[", "]"));
		}

		/** A JSON token as a CSV cell: strings unquoted, null as an empty cell. */
		static String cell(String token) {
			if (token.equals("null")) {
				return "";
			}
			return token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
		}

	}

	static Stream<Arguments> badBatches() {
		List<Arguments> cases = List.of(
				arguments("a missing feature", Batch.iris("5.1", "3.5", "1.4").withColumns(IRIS.subList(0, 3)),
						List.of("petal_width"), List.of()),
				arguments("an extra feature",
						Batch.iris("5.1", "3.5", "1.4", "0.2", "1").withColumns(List.of("sepal_length", "sepal_width",
								"petal_length", "petal_width", "colour")),
						List.of("'colour'"), List.of()),
				arguments("a string where a number belongs", Batch.irisWith("sepal_width", "\"wide\""),
						List.of("sepal_width", "wide"), List.of()),
				arguments("NaN", Batch.irisWith("petal_length", "NaN"), List.of("petal_length"),
						List.of("finite", "NaN")),
				arguments("Infinity", Batch.irisWith("petal_length", "Infinity"), List.of("petal_length"),
						List.of("finite")),
				arguments("-Infinity", Batch.irisWith("petal_length", "-Infinity"), List.of("petal_length"),
						List.of("finite")),
				arguments("1e999, beyond any double", Batch.irisWith("petal_length", "1e999"), List.of("petal_length"),
						List.of("finite")),
				arguments("1e300, beyond the model's 32-bit floats", Batch.irisWith("petal_length", "1e300"),
						List.of("petal_length"), List.of("range")),
				arguments("null", Batch.irisWith("sepal_length", "null"), List.of("sepal_length"),
						List.of("no value", "null")),
				arguments("an empty batch", new Batch("iris", IRIS, List.of()), List.of(),
						List.of("no rows", "empty batch")),
				arguments("a batch over the row limit", Batch.irisRows(MAX_ROWS + 1), List.of("1001", "1000"),
						List.of()),
				arguments("an unknown category", new Batch("mixed", MIXED, List.of(List.of("4.5", "\"kensington\""))),
						List.of("garden", "kensington"), List.of()),
				arguments("a number where a category belongs", new Batch("mixed", MIXED, List.of(List.of("4.5", "1.5"))),
						List.of("garden", "1.5"), List.of()));
		return cases.stream()
			.flatMap(arguments -> Stream.of(Api.values())
				.map(api -> arguments(api, arguments.get()[0], arguments.get()[1], arguments.get()[2],
						arguments.get()[3])));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("badBatches")
	void badInputIsABadRequestNamingTheProblem(Api api, String problem, Batch batch, List<String> named,
			List<String> namedOneOf) {
		String message = api.error(api.post(client, batch), 400);
		if (!named.isEmpty()) {
			assertThat(message).contains(named);
		}
		if (!namedOneOf.isEmpty()) {
			assertThat(message).containsAnyOf(namedOneOf.toArray(String[]::new));
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Api.class)
	void malformedBodyIsABadRequestNamingWhere(Api api) {
		if (api == Api.SCORING_CSV) {
			String message = api.error(Http.post(client, api.uri("iris"), api.contentType,
					"sepal_length,\"sepal_width,petal_length,petal_width\r\n5.1,3.5,1.4,0.2\r\n"), 400);
			assertThat(message).contains("quoted");
			return;
		}
		String body = api.body(Batch.irisRows(2));
		String message = api.error(Http.post(client, api.uri("iris"), api.contentType,
				body.substring(0, body.length() - 3)), 400);
		assertThat(message).contains("not valid JSON", "line 1");
		assertThat(api.error(Http.post(client, api.uri("iris"), api.contentType, ""), 400)).contains("no body");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Api.class)
	void bodyOverTheByteLimitIsTooLarge(Api api) throws Exception {
		int rows = MAX_ROWS;
		while (api.body(Batch.irisRows(rows)).length() <= MAX_BYTES + 4096) {
			rows *= 2;
		}
		byte[] body = api.body(Batch.irisRows(rows)).getBytes(StandardCharsets.UTF_8);
		for (boolean chunked : new boolean[] { false, true }) {
			Answer answer = postStreaming(api, body, chunked);
			assertThat(api.error(answer, 413)).as("chunked: %s", chunked).contains(String.valueOf(MAX_BYTES));
		}
		// the service is unharmed and a body just under the limit is no problem of size
		assertThat(api.post(client, Batch.irisRows(3)).status()).isEqualTo(200);
	}

	@Test
	void goodRequestsAreAnsweredCorrectlyWhileBadOnesPourIn() throws Exception {
		List<Object[]> bad = badBatches().map(Arguments::get).toList();
		ExecutorService threads = Executors.newFixedThreadPool(5);
		try {
			AtomicBoolean goodDone = new AtomicBoolean();
			CountDownLatch badStarted = new CountDownLatch(3);
			AtomicInteger badSent = new AtomicInteger();
			List<CompletableFuture<Void>> badSenders = new ArrayList<>();
			for (int thread = 0; thread < 3; thread++) {
				int first = thread;
				badSenders.add(CompletableFuture.runAsync(() -> {
					WebTestClient own = fixture.server.client();
					try {
						for (int i = first; !goodDone.get() || i < first + 3; i++) {
							Object[] arguments = bad.get((i * 7) % bad.size());
							Api api = (Api) arguments[0];
							Answer answer = api.post(own, (Batch) arguments[2]);
							assertThat(answer.status()).as("%s: %s -> %s", api, arguments[1], answer).isEqualTo(400);
							Http.assertNoStackTrace(answer);
							badSent.incrementAndGet();
							badStarted.countDown();
						}
					}
					finally {
						// a sender that failed must not hold the good ones back; its failure surfaces below
						badStarted.countDown();
					}
				}, threads));
			}
			assertThat(badStarted.await(60, TimeUnit.SECONDS)).isTrue();
			List<CompletableFuture<Void>> goodSenders = new ArrayList<>();
			for (int thread = 0; thread < 2; thread++) {
				goodSenders.add(CompletableFuture.runAsync(() -> {
					WebTestClient own = fixture.server.client();
					for (int i = 0; i < 40; i++) {
						sendGoodRequest(own, Api.values()[i % Api.values().length]);
					}
				}, threads));
			}
			try {
				CompletableFuture.allOf(goodSenders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
			}
			finally {
				goodDone.set(true);
			}
			CompletableFuture.allOf(badSenders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
			assertThat(badSent.get()).isGreaterThanOrEqualTo(9);
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** Sends 1 to 8 of the good rows, in a random order, and checks every answer against DL4J's. */
	private static void sendGoodRequest(WebTestClient client, Api api) {
		List<Integer> picked = new ArrayList<>(IntStream.range(0, ROWS.length).boxed().toList());
		Collections.shuffle(picked);
		picked = picked.subList(0, 1 + ThreadLocalRandom.current().nextInt(ROWS.length));
		List<List<String>> rows = new ArrayList<>();
		for (int index : picked) {
			float[] row = ROWS[index];
			rows.add(List.of(String.valueOf(row[0]), String.valueOf(row[1]), String.valueOf(row[2]),
					String.valueOf(row[3])));
		}
		Answer answer = api.post(client, new Batch("iris", IRIS, rows));
		assertThat(answer.status()).as("%s -> %s", api, answer).isEqualTo(200);
		JsonNode json = answer.json();
		for (int row = 0; row < picked.size(); row++) {
			float[] want = expected[picked.get(row)];
			for (int c = 0; c < 3; c++) {
				assertThat(probability(api, json, row, c)).as("%s row %d class %d", api, row, c)
					.isCloseTo(want[c], within(1e-6f));
			}
		}
	}

	private static float probability(Api api, JsonNode answer, int row, int c) {
		return switch (api) {
			case OIP -> answer.get("outputs").get(1).get("data").get(row * 3 + c).floatValue();
			case PREDICT -> answer.get("predictions").get(row).get("probabilities")
				.get(List.of("setosa", "versicolor", "virginica").get(c))
				.floatValue();
			case SCORING_JSON, SCORING_CSV -> answer.get("probabilities").get(row).get(c).floatValue();
		};
	}

	/**
	 * Posts {@code body} with its Content-Length, or chunked without one (a body of unknown length: then the service
	 * only learns its size by reading it).
	 */
	private static Answer postStreaming(Api api, byte[] body, boolean chunked) throws Exception {
		HttpRequest.BodyPublisher publisher = chunked
				? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
				: HttpRequest.BodyPublishers.ofByteArray(body);
		HttpRequest request = HttpRequest.newBuilder(URI.create(fixture.server.baseUrl() + api.uri("iris")))
			.header(HttpHeaders.CONTENT_TYPE, api.contentType)
			.POST(publisher)
			.build();
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request, HttpResponse.BodyHandlers.ofString());
		HttpHeaders headers = new HttpHeaders();
		response.headers().map().forEach(headers::addAll);
		return new Answer(response.statusCode(), headers, response.body());
	}

}
