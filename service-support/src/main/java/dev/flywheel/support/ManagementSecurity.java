package dev.flywheel.support;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The token of management calls ({@code flywheel.security.token}, a {@link ManagementToken}) and the
 * {@link LoopbackGuard} that requires one off loopback. Not a {@code @Component}: each service that takes management
 * calls brings it in with {@code @Import(ManagementSecurity.class)}.
 */
@Configuration(proxyBeanMethods = false)
public class ManagementSecurity {

	@Bean
	public ManagementToken managementToken(Environment environment) {
		return new ManagementToken(environment.getProperty("flywheel.security.token"));
	}

	@Bean
	public LoopbackGuard loopbackGuard(Environment environment, ManagementToken token) {
		return new LoopbackGuard(environment, token);
	}

}
