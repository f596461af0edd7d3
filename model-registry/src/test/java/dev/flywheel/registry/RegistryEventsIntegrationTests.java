package dev.flywheel.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.EventStreamReader;
import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's event stream: what a follower sees, in commit order, and resuming with Last-Event-ID. */
class RegistryEventsIntegrationTests extends RegistryTestSupport {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Test
	void followerSeesEachChangeWithNameVersionAliasAndDigest() {
		String model = "events-" + UUID.randomUUID().toString().substring(0, 8);
		long start = lastEventId();
		MlflowClient client = mlflow();
		client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		client.sendPost("model-versions/create", "{\"name\":\"" + model
				+ "\",\"source\":\"s3://b/1\",\"tags\":[{\"key\":\"flywheel.digest\",\"value\":\"sha-1\"}]}");
		client.sendPost("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"1\"}");
		send("DELETE", "/api/2.0/mlflow/registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\"}");

		List<ServerSentEvent<Map<String, Object>>> events = EventStreamReader.read(baseUrl(), start, 4,
				Duration.ofSeconds(10));
		assertThat(events).extracting(ServerSentEvent::event)
			.containsExactly("registered_model.created", "model_version.created", "model_version.alias_set",
					"model_version.alias_deleted");
		assertThat(events).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
		Map<String, Object> created = events.get(1).data();
		assertThat(created).containsEntry("name", model).containsEntry("version", "1").containsEntry("digest", "sha-1");
		assertThat(created.get("timestamp")).isInstanceOf(Number.class);
		Map<String, Object> aliasSet = events.get(2).data();
		assertThat(aliasSet).containsEntry("alias", "champion").containsEntry("version", "1")
			.containsEntry("digest", "sha-1");
		assertThat(((Number) aliasSet.get("id")).longValue()).isEqualTo(Long.parseLong(events.get(2).id()));
	}

	@Test
	void resumingWithLastEventIdDeliversWhatWasMissedThenNewEvents() throws Exception {
		String model = "resume-" + UUID.randomUUID().toString().substring(0, 8);
		long start = lastEventId();
		MlflowClient client = mlflow();
		client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/1\"}");
		List<ServerSentEvent<Map<String, Object>>> first = EventStreamReader.read(baseUrl(), start, 2,
				Duration.ofSeconds(10));
		long seen = Long.parseLong(first.get(0).id());

		// written while the follower is away
		client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/2\"}");
		Thread later = new Thread(() -> client.sendPost("registered-models/alias",
				"{\"name\":\"" + model + "\",\"alias\":\"challenger\",\"version\":\"2\"}"));
		later.start();
		List<ServerSentEvent<Map<String, Object>>> resumed = EventStreamReader.read(baseUrl(), seen, 3,
				Duration.ofSeconds(10));
		later.join();
		assertThat(resumed).extracting(e -> e.data().get("version") + " " + e.event())
			.containsExactly("1 model_version.created", "2 model_version.created", "2 model_version.alias_set");
		assertThat(Long.parseLong(resumed.get(0).id())).isEqualTo(seen + 1);
	}

	@Test
	void anInvalidLastEventIdIsABadRequest() {
		var response = send("GET", "/api/2.0/flywheel/events?after=yesterday", null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("INVALID_PARAMETER_VALUE").contains("Last-Event-ID");
	}

	private long lastEventId() {
		List<ServerSentEvent<Map<String, Object>>> all = EventStreamReader.readFor(baseUrl(), 0, Duration.ofMillis(800));
		return all.isEmpty() ? 0 : Long.parseLong(all.get(all.size() - 1).id());
	}

}
