package dev.flywheel.router.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.router.RouterApplication;

/**
 * The router started in this JVM on a free port with the given properties; its event loops are its own, so closing
 * it (as a restart test does) leaves other servers in the JVM running.
 */
public final class RouterServer implements AutoCloseable {

	/** Rhythms fast enough for tests: traffic flushed, tests re-read and looked at several times a second. */
	public static final Map<String, String> FAST = Map.of("flywheel.router.flush-interval", "100ms",
			"flywheel.router.refresh-interval", "200ms", "flywheel.router.decision-interval", "300ms",
			"flywheel.router.action-retry-interval", "300ms", "flywheel.registry.timeout", "3s");

	private final ConfigurableApplicationContext context;

	private final int port;

	private RouterServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	public static RouterServer start(Map<String, String> properties) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		return new RouterServer(new SpringApplicationBuilder(RouterApplication.class)
			.initializers(RouterServer::ownNettyResources)
			.run(arguments.toArray(String[]::new)));
	}

	private static void ownNettyResources(ConfigurableApplicationContext context) {
		((GenericApplicationContext) context).registerBean("reactorResourceFactory", ReactorResourceFactory.class,
				() -> {
					ReactorResourceFactory resources = new ReactorResourceFactory();
					resources.setUseGlobalResources(false);
					return resources;
				});
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	public WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
	}

	public RouterCalls calls() {
		return new RouterCalls(baseUrl());
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	@Override
	public void close() {
		context.close();
	}

}
