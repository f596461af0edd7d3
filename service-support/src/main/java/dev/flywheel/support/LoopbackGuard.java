package dev.flywheel.support;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a service that would take management calls from the network without a token: binding to anything
 * other than a loopback address ({@code server.address}) needs {@code flywheel.security.token}. Not a
 * {@code @Component}: {@link ManagementSecurity} declares it.
 */
public final class LoopbackGuard implements InitializingBean {

	private final Environment environment;

	private final ManagementToken token;

	public LoopbackGuard(Environment environment, ManagementToken token) {
		this.environment = environment;
		this.token = token;
	}

	@Override
	public void afterPropertiesSet() {
		String address = environment.getProperty("server.address");
		if (!token.isSet() && !isLoopback(address)) {
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
