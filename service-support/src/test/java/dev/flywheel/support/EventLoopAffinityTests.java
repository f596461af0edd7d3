package dev.flywheel.support;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopAffinityTests {

	@Test
	void deliversResultsOnTheRequestsLoopWhenThereIsOne() {
		Scheduler loop = Schedulers.newSingle("request-loop");
		Scheduler database = Schedulers.newSingle("database");
		try {
			AtomicReference<String> thread = new AtomicReference<>();
			Mono.fromCallable(() -> "row")
				.subscribeOn(database)
				.as(EventLoopAffinity::backToEventLoop)
				.doOnNext(row -> thread.set(Thread.currentThread().getName()))
				.contextWrite(EventLoopAffinity.onLoop(loop))
				.block();
			assertThat(thread.get()).startsWith("request-loop");

			Mono.fromCallable(() -> "row")
				.subscribeOn(database)
				.as(EventLoopAffinity::backToEventLoop)
				.doOnNext(row -> thread.set(Thread.currentThread().getName()))
				.block();
			assertThat(thread.get()).as("outside a request nothing moves").startsWith("database");
		}
		finally {
			loop.dispose();
			database.dispose();
		}
	}

}
