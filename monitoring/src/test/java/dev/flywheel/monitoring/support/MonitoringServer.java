package dev.flywheel.monitoring.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import dev.flywheel.monitoring.MonitoringApplication;

/**
 * Monitoring started in this JVM on a free port (or {@code server.port} when given) with the given properties; its event loops are its own, so closing
 * it (as a restart test does) leaves other servers in the JVM running.
 */
public final class MonitoringServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private MonitoringServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	public static MonitoringServer start(Map<String, String> properties) {
		List<String> arguments = new ArrayList<>(List.of("--spring.main.banner-mode=off"));
		if (!properties.containsKey("server.port")) {
			arguments.add("--server.port=0");
		}
		properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		return new MonitoringServer(new SpringApplicationBuilder(MonitoringApplication.class)
			.initializers(MonitoringServer::ownNettyResources)
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

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	@Override
	public void close() {
		context.close();
	}

}
