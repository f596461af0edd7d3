package dev.flywheel.router.abtest;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.registry.support.TestDatabases;
import dev.flywheel.router.RouterApplication;
import dev.flywheel.router.support.TestRegistry;

import static dev.flywheel.router.abtest.AbTestApiContract.problem;
import static dev.flywheel.router.abtest.AbTestRequests.API;
import static dev.flywheel.router.abtest.AbTestRequests.create;
import static dev.flywheel.router.abtest.AbTestRequests.json;
import static dev.flywheel.router.abtest.AbTestRequests.minimal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no registry answering, a test cannot be checked and is not created: 503 with Retry-After and a body that says
 * which registry is down, never a 500; reading the stored tests still works.
 */
@SpringBootTest(classes = RouterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistryDownIntegrationTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		String down = TestRegistry.unreachableUrl();
		registry.add("flywheel.registry.url", () -> down);
		registry.add("flywheel.registry.timeout", () -> "2s");
	}

	@Test
	void answers503WhenTheRegistryIsDown() {
		WebTestClient client = AbTestRequests.client(port);
		WebTestClient.ResponseSpec response = create(client, minimal("iris"));
		response.expectHeader().valueEquals("Retry-After", "5");
		problem(response, HttpStatus.SERVICE_UNAVAILABLE, "registry-unavailable", null).contains("registry")
			.contains("try again later");
		assertThat(json(client.get().uri(API).exchange().expectStatus().isOk()).path("ab_tests")).isEmpty();
	}

	@Test
	void stillRefusesBadInputWithoutAskingTheRegistry() {
		problem(create(AbTestRequests.client(port), minimal("iris").replace("\"weight\": 10", "\"weight\": 0")),
				HttpStatus.BAD_REQUEST, "invalid-ab-test", "variants[1].weight");
	}

}
