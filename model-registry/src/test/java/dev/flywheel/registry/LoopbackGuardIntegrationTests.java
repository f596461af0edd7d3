package dev.flywheel.registry;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.flywheel.registry.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A registry reachable from the network must have a write token. */
class LoopbackGuardIntegrationTests {

	@Test
	void refusesToListenOnAllInterfacesWithoutAToken() {
		assertThatThrownBy(() -> start("--server.address=0.0.0.0"))
			.hasStackTraceContaining("Refusing to listen on 0.0.0.0 without a token");
	}

	@Test
	void listensOnAllInterfacesWithAToken() {
		try (ConfigurableApplicationContext context = start("--server.address=0.0.0.0",
				"--flywheel.security.token=t0ken")) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[arguments.length + 2];
		System.arraycopy(arguments, 0, all, 0, arguments.length);
		all[arguments.length] = "--server.port=0";
		all[arguments.length + 1] = "--flywheel.home=" + TestDatabases.newHome();
		return new SpringApplicationBuilder(RegistryApplication.class).run(all);
	}

}
