package dev.flywheel.router.abtest;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.router.RouterApplication;
import dev.flywheel.router.support.TestRegistry;

import static dev.flywheel.router.abtest.AbTestRequests.API;
import static dev.flywheel.router.abtest.AbTestRequests.create;
import static dev.flywheel.router.abtest.AbTestRequests.full;
import static dev.flywheel.router.abtest.AbTestRequests.json;
import static dev.flywheel.router.abtest.AbTestRequests.minimal;
import static dev.flywheel.router.abtest.AbTestRequests.patch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart loses nothing: the router is started, given tests in every state, stopped, and started again on the same
 * database, which must give every test back exactly as it was, and still keep one running test per model.
 */
abstract class AbTestRestartContract {

	/** The properties that point the router at the database under test (the same for both starts). */
	abstract Map<String, Object> database();

	/** Closes the database between the two starts where it would outlive the first router in this JVM. */
	void closeDatabase() throws Exception {
	}

	@Test
	void aRestartedRouterReadsBackEveryTest() throws Exception {
		Map<String, Object> properties = new HashMap<>(database());
		properties.put("server.port", 0);
		properties.put("flywheel.registry.url", TestRegistry.url());
		String model = TestRegistry.model("restart", 3);
		String other = TestRegistry.model("restart", 2);

		JsonNode before;
		String running;
		String paused;
		try (ConfigurableApplicationContext router = start(properties)) {
			WebTestClient client = client(router);
			running = json(create(client, full(model)).expectStatus().isCreated()).path("id").asString();
			patch(client, running, "{\"weights\": {\"control\": 10, \"v2\": 10, \"v3\": 80}}").expectStatus().isOk();
			paused = json(create(client, minimal(other)).expectStatus().isCreated()).path("id").asString();
			patch(client, paused, "{\"status\": \"paused\", \"reason\": \"waiting for labels\"}").expectStatus().isOk();
			String stopped = json(create(client, minimal(other)).expectStatus().isCreated()).path("id").asString();
			patch(client, stopped, "{\"status\": \"stopped\"}").expectStatus().isOk();
			before = json(client.get().uri(API).exchange().expectStatus().isOk());
		}
		closeDatabase();

		try (ConfigurableApplicationContext router = start(properties)) {
			WebTestClient client = client(router);
			assertThat(router.getEnvironment().getProperty("spring.r2dbc.url")).as("the database under test")
				.isEqualTo(properties.getOrDefault("spring.r2dbc.url", router.getEnvironment()
					.getProperty("spring.r2dbc.url")));
			JsonNode after = json(client.get().uri(API).exchange().expectStatus().isOk());
			assertThat(after).isEqualTo(before);
			assertThat(after.path("ab_tests")).hasSizeGreaterThanOrEqualTo(3);
			JsonNode test = json(client.get().uri(API + "/{id}", running).exchange().expectStatus().isOk());
			assertThat(test.path("variants").get(2).path("weight").asDouble()).isEqualTo(80.0);
			assertThat(test.path("status").asString()).isEqualTo("running");
			assertThat(json(client.get().uri(API + "/{id}", paused).exchange()).path("status_reason").asString())
				.isEqualTo("waiting for labels");
			create(client, minimal(model)).expectStatus().isEqualTo(409);
			patch(client, paused, "{\"status\": \"running\"}").expectStatus().isOk();
		}
	}

	/** Starts the router with {@code properties} as command-line arguments, which override application.yaml. */
	private static ConfigurableApplicationContext start(Map<String, Object> properties) {
		String[] arguments = properties.entrySet()
			.stream()
			.map(property -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(RouterApplication.class).run(arguments);
	}

	private static WebTestClient client(ConfigurableApplicationContext router) {
		return AbTestRequests.client(((WebServerApplicationContext) router).getWebServer().getPort());
	}

}
