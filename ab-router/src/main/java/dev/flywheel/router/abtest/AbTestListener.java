package dev.flywheel.router.abtest;

import reactor.core.publisher.Mono;

/**
 * Told of every test this router creates or changes, before the change is answered: so that once a client has its
 * answer, this router already routes by the change (other replicas follow within their refresh interval).
 */
public interface AbTestListener {

	/** Completes once the listener has taken the change in; a failure is logged, not passed to the client. */
	Mono<Void> changed(AbTest test);

}
