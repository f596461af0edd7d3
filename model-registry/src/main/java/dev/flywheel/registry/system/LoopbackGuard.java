package dev.flywheel.registry.system;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a registry that would accept writes from the network without a token: binding to anything other
 * than a loopback address needs {@code flywheel.security.token}.
 */
@Component
class LoopbackGuard implements InitializingBean {

	private final Environment environment;

	private final RegistryProperties properties;

	LoopbackGuard(Environment environment, RegistryProperties properties) {
		this.environment = environment;
		this.properties = properties;
	}

	@Override
	public void afterPropertiesSet() {
		String address = environment.getProperty("server.address");
		if (!properties.security().enabled() && !isLoopback(address)) {
			throw new IllegalStateException("Refusing to listen on " + (address == null ? "all interfaces" : address)
					+ " without a token: set flywheel.security.token (FLYWHEEL_SECURITY_TOKEN), or bind to 127.0.0.1");
		}
	}

	static boolean isLoopback(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("server.address '" + address + "' does not resolve", ex);
		}
	}

}
