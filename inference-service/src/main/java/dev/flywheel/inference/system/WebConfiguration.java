package dev.flywheel.inference.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.flywheel.support.EventLoopAffinity;

/**
 * The {@link EventLoopAffinity} filter, which hands answers computed on an inference thread back to the event loop of
 * the connection that asked for them.
 */
@Configuration(proxyBeanMethods = false)
@Import(EventLoopAffinity.class)
class WebConfiguration {

}
