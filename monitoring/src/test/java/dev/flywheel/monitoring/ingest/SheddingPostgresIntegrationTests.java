package dev.flywheel.monitoring.ingest;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.monitoring.MonitoringApplication;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.monitoring.ingest.IngestBodies.feedback;
import static dev.flywheel.monitoring.ingest.IngestBodies.feedbackEvent;
import static dev.flywheel.monitoring.ingest.IngestBodies.irisRecord;
import static dev.flywheel.monitoring.ingest.IngestBodies.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst over {@code flywheel.monitoring.rows-in-flight} while storing is stuck (the table locked by another
 * session of a real PostgreSQL): what does not fit is shed at once with 503 and {@code Retry-After} and counted,
 * what was taken is stored when the database frees up, and nothing waits in memory beyond the capacity.
 */
@SpringBootTest(classes = MonitoringApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "flywheel.monitoring.rows-in-flight=10", "flywheel.monitoring.database-timeout=60s" })
class SheddingPostgresIntegrationTests {

	private static String database;

	@LocalServerPort
	int port;

	@Autowired
	IngestGate gate;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database = TestDatabases.createPostgresDatabase();
		registry.add("flywheel.home", () -> TestDatabases.newHome().toString());
		registry.add("spring.r2dbc.url", () -> TestDatabases.r2dbcUrl(database));
	}

	private Mono<ResponseEntity<String>> post(String path, String body) {
		return WebClient.create("http://127.0.0.1:" + port)
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(response -> response.toEntity(String.class))
			.timeout(Duration.ofSeconds(60));
	}

	private static String rows(int n) {
		return predictions(List.of(irisRecord("1", null, Instant.now(),
				IntStream.range(0, n).mapToObj(i -> UUID.randomUUID().toString()).toList())));
	}

	private double dropped(String source) {
		var counter = meters.find("flywheel_monitoring_ingest_dropped_rows").tag("source", source).counter();
		return counter == null ? 0 : counter.count();
	}

	@Test
	void whatDoesNotFitWhileStoringIsStuckIsShedAtOnceAndCounted() throws Exception {
		URI server = URI.create(TestDatabases.r2dbcUrl(database).substring("r2dbc:".length()));
		String jdbc = "jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + server.getPath();
		try (Connection lock = DriverManager.getConnection(jdbc, server.getUserInfo(), null);
				Statement statement = lock.createStatement()) {
			lock.setAutoCommit(false);
			statement.execute("LOCK TABLE logged_prediction IN ACCESS EXCLUSIVE MODE");

			// taken, and stuck behind the lock
			var stuck = post("/api/v1/predictions", rows(8)).toFuture();
			await().atMost(Duration.ofSeconds(20)).until(() -> gate.rowsInFlight() == 8);

			ResponseEntity<String> shed = post("/api/v1/predictions", rows(5)).block();
			assertThat(shed.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(shed.getHeaders().getFirst("Retry-After")).isEqualTo("2");
			assertThat(shed.getBody()).contains("over-capacity", "rows-in-flight");
			ResponseEntity<String> shedFeedback = post("/api/v1/feedback", feedback(List.of(
					feedbackEvent("a", "x", Instant.now()), feedbackEvent("b", "x", Instant.now()),
					feedbackEvent("c", "x", Instant.now())))).block();
			assertThat(shedFeedback.getStatusCode()).as("the capacity is shared").isEqualTo(
					HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(dropped("predictions")).isEqualTo(5);
			assertThat(dropped("feedback")).isEqualTo(3);
			assertThat(stuck).isNotDone();

			lock.rollback();
			ResponseEntity<String> taken = stuck.get(60, TimeUnit.SECONDS);
			assertThat(taken.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(taken.getBody()).contains("\"stored\":8");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> gate.rowsInFlight() == 0);
		assertThat(post("/api/v1/predictions", rows(5)).block().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

}
