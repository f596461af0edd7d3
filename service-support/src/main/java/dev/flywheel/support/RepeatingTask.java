package dev.flywheel.support;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Work a service repeats on a fixed interval between {@link #start()} and {@link #stop()} (its components call them
 * from their own lifecycle): one run at a time (a tick that comes while a run is busy is skipped), and a run that
 * fails is logged and does not stop the next.
 */
public final class RepeatingTask {

	private static final Logger logger = LoggerFactory.getLogger(RepeatingTask.class);

	private final String what;

	private final Duration delay;

	private final Duration interval;

	private final Supplier<Mono<?>> work;

	private volatile Disposable running;

	private RepeatingTask(String what, Duration delay, Duration interval, Supplier<Mono<?>> work) {
		this.what = what;
		this.delay = delay;
		this.interval = interval;
		this.work = work;
	}

	/** {@code work} every {@code interval}, the first time after one interval. */
	public static RepeatingTask every(Duration interval, String what, Supplier<Mono<?>> work) {
		return new RepeatingTask(what, interval, interval, work);
	}

	/** {@code work} every {@code interval}, the first time after {@code delay}. */
	public static RepeatingTask every(Duration interval, Duration delay, String what, Supplier<Mono<?>> work) {
		return new RepeatingTask(what, delay, interval, work);
	}

	public synchronized void start() {
		if (running == null) {
			running = Flux.interval(delay, interval)
				.onBackpressureDrop()
				.concatMap(tick -> Mono.defer(work).onErrorResume(ex -> {
					logger.warn("{} failed: {}", what, ex.toString());
					return Mono.empty();
				}))
				.subscribe();
		}
	}

	public synchronized void stop() {
		if (running != null) {
			running.dispose();
			running = null;
		}
	}

	public boolean isRunning() {
		return running != null;
	}

}
