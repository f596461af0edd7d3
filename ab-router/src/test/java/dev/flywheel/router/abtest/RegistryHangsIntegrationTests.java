package dev.flywheel.router.abtest;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.TestDatabases;
import dev.flywheel.router.RouterApplication;
import dev.flywheel.router.support.SilentServer;

import static dev.flywheel.router.abtest.AbTestApiContract.problem;
import static dev.flywheel.router.abtest.AbTestRequests.create;
import static dev.flywheel.router.abtest.AbTestRequests.minimal;
import static org.assertj.core.api.Assertions.assertThat;

/** A registry that accepts the connection and never answers costs one timeout, then 503: the call does not hang. */
@SpringBootTest(classes = RouterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistryHangsIntegrationTests {

	private static final SilentServer registry = SilentServer.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		TestDatabases.h2(properties);
		properties.add("flywheel.registry.url", registry::url);
		properties.add("flywheel.registry.timeout", () -> "1s");
	}

	@AfterAll
	static void stopRegistry() throws IOException {
		registry.close();
	}

	@Test
	void answers503AfterTheRegistryTimeout() {
		long start = System.nanoTime();
		problem(create(AbTestRequests.client(port), minimal("iris")), HttpStatus.SERVICE_UNAVAILABLE,
				"registry-unavailable", null).contains("did not answer within");
		assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(5);
	}

}
