package dev.flywheel.support;

import java.time.Duration;
import java.util.function.Function;

import io.r2dbc.spi.R2dbcTransientResourceException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * How a service's stores reach the database. Each unit of work runs as one transaction (or one read) on a
 * bounded scheduler of its own: the embedded H2 driver does its I/O and lock waits on the calling thread, and that
 * thread must never be a Netty event loop. A transaction that lost a deadlock or a serialization conflict is run
 * again; every other failure reaches the caller, and work that takes longer than
 * {@code timeout} fails with a {@link java.util.concurrent.TimeoutException}. Each service declares one as a
 * {@code @Bean} with its own name, thread count and timeout: {@code flywheel.registry.database-threads} and
 * {@code flywheel.registry.database-timeout} in the registry, {@code flywheel.router.database-threads} and
 * {@code flywheel.router.database-timeout} in the router.
 */
public class Database implements DisposableBean {

	private static final int TRANSIENT_RETRIES = 5;

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final Scheduler scheduler;

	private final Duration timeout;

	/**
	 * A unit of work on a bounded scheduler named {@code name + "-db"} of {@code threads} threads, each unit failing
	 * after {@code timeout}.
	 */
	public Database(DatabaseClient client, TransactionalOperator transactions, String name, int threads,
			Duration timeout) {
		this.client = client;
		this.transactions = transactions;
		this.scheduler = Schedulers.newBoundedElastic(threads, 10_000, name + "-db");
		this.timeout = timeout;
	}

	/** Runs {@code work} in one transaction. */
	public <T> Mono<T> write(Function<DatabaseClient, Mono<T>> work) {
		return Mono.defer(() -> work.apply(client))
			.as(transactions::transactional)
			.subscribeOn(scheduler)
			.retryWhen(transientFailures())
			.timeout(timeout)
			.as(EventLoopAffinity::backToEventLoop);
	}

	/** Runs a read that needs no transaction. */
	public <T> Mono<T> read(Function<DatabaseClient, Mono<T>> work) {
		return Mono.defer(() -> work.apply(client))
			.subscribeOn(scheduler)
			.timeout(timeout)
			.as(EventLoopAffinity::backToEventLoop);
	}

	private static Retry transientFailures() {
		return Retry.backoff(TRANSIENT_RETRIES, Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(500))
			.filter(Database::isTransient)
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	static boolean isTransient(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PessimisticLockingFailureException || cause instanceof TransientDataAccessException
					|| cause instanceof R2dbcTransientResourceException) {
				return true;
			}
			if (cause instanceof io.r2dbc.spi.R2dbcException r2dbc && r2dbc.getSqlState() != null) {
				String state = r2dbc.getSqlState();
				// 40001 serialization failure, 40P01 deadlock (PostgreSQL); HYT00 lock timeout (H2)
				if (state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public void destroy() {
		scheduler.dispose();
	}

}
