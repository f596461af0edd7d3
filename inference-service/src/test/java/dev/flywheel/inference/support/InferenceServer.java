package dev.flywheel.inference.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.flywheel.inference.InferenceApplication;

import static org.awaitility.Awaitility.await;

/** The inference service started in this JVM on a free port, with its own home and properties. */
public final class InferenceServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private InferenceServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * @param properties {@code flywheel.*} and other settings, such as {@code flywheel.inference.models}
	 */
	public static InferenceServer start(Path home, String registryUrl, Map<String, String> properties) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--flywheel.home=" + home,
				"--flywheel.registry.url=" + registryUrl, "--flywheel.registry.timeout=5s",
				"--flywheel.registry.reconnect-delay=200ms", "--spring.main.banner-mode=off"));
		properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(InferenceApplication.class)
			.initializers(InferenceServer::ownNettyResources)
			.run(arguments.toArray(String[]::new));
		return new InferenceServer(context);
	}

	/**
	 * Gives the service event loops of its own: with Reactor Netty's global ones (Spring Boot's default), closing one
	 * service in this JVM would stop the loops of every other, the shared fixture's included.
	 */
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

	public int port() {
		return port;
	}

	public WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	/**
	 * Waits until every configured model has its champion loaded; when it does not, closes the server (a caller's
	 * try-with-resources never got it) and fails.
	 */
	public InferenceServer awaitReady() {
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> client().get().uri("/v2/health/ready").exchange().returnResult(byte[].class).getStatus()
					.value() == 200);
		}
		catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
		return this;
	}

	@Override
	public void close() {
		context.close();
	}

}
