package dev.flywheel.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;

import dev.flywheel.registry.support.RegistryProcess;
import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during a stream of writes, then a restart on the same database: every write the registry acknowledged is
 * there, version numbers have no gaps, and the alias points at the last version it was acknowledged to move to (or
 * at the one whose move was in flight).
 */
class DurabilityIntegrationTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "h2", "postgres" })
	void acknowledgedWritesSurviveKillNine(String database) throws Exception {
		Path home = TestDatabases.newHome();
		Map<String, String> environment = database.equals("h2") ? Map.of()
				: Map.of("SPRING_R2DBC_URL", TestDatabases.r2dbcUrl(TestDatabases.createPostgresDatabase()));
		List<Long> ackedVersions = new CopyOnWriteArrayList<>();
		List<Long> ackedSteps = new CopyOnWriteArrayList<>();
		AtomicReference<Long> ackedAlias = new AtomicReference<>();
		AtomicReference<Long> attemptedAlias = new AtomicReference<>();
		String runId;
		try (RegistryProcess registry = RegistryProcess.start(home, environment)) {
			String base = registry.baseUrl();
			MlflowClient client = new MlflowClient(base);
			client.sendPost("registered-models/create", "{\"name\":\"durable\"}");
			runId = client.createRun().getRunId();
			AtomicBoolean stop = new AtomicBoolean();
			Thread writer = new Thread(() -> {
				for (long i = 1; !stop.get(); i++) {
					String version = post(base, "model-versions/create",
							"{\"name\":\"durable\",\"source\":\"s3://bucket/" + i + "\"}");
					if (version == null) {
						continue;
					}
					long number = Long.parseLong(version.replaceAll(".*\"version\":\"(\\d+)\".*", "$1"));
					ackedVersions.add(number);
					if (post(base, "runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"m\",\"value\":" + i
							+ ",\"timestamp\":" + i + ",\"step\":" + i + "}") != null) {
						ackedSteps.add(i);
					}
					attemptedAlias.set(number);
					if (post(base, "registered-models/alias",
							"{\"name\":\"durable\",\"alias\":\"champion\",\"version\":\"" + number + "\"}") != null) {
						ackedAlias.set(number);
					}
				}
			});
			writer.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (ackedVersions.size() < 40 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			registry.kill();
			stop.set(true);
			writer.join(10_000);
		}
		assertThat(ackedVersions).as("writes acknowledged before the kill").hasSizeGreaterThanOrEqualTo(40);

		try (RegistryProcess restarted = RegistryProcess.start(home, environment)) {
			MlflowClient client = new MlflowClient(restarted.baseUrl());
			long highest = ackedVersions.stream().mapToLong(Long::longValue).max().orElseThrow();
			List<Long> present = client.searchModelVersions("name = 'durable'")
				.getItems()
				.stream()
				.map(v -> Long.parseLong(v.getVersion()))
				.sorted()
				.toList();
			assertThat(present).containsAll(ackedVersions);
			assertThat(present).as("numbers without gaps").isEqualTo(
					java.util.stream.LongStream.rangeClosed(1, present.size()).boxed().toList());
			assertThat(present.size()).isGreaterThanOrEqualTo((int) highest);
			assertThat(client.getMetricHistory(runId, "m")).extracting(Metric::getStep).containsAll(ackedSteps);
			String alias = client.sendGet("registered-models/alias?name=durable&alias=champion");
			long pointsAt = Long.parseLong(alias.replaceAll("(?s).*\"version\":\"(\\d+)\".*", "$1"));
			assertThat(pointsAt).isIn(ackedAlias.get(), attemptedAlias.get());
		}
	}

	/** POSTs and returns the body of a 200, or null when the request failed or got no answer. */
	private String post(String base, String path, String body) {
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path))
						.timeout(Duration.ofSeconds(5))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 ? response.body() : null;
		}
		catch (Exception ex) {
			return null;
		}
	}

}
