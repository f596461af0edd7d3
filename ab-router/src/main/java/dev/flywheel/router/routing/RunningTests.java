package dev.flywheel.router.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.AbTestListener;
import dev.flywheel.router.abtest.AbTestService;
import dev.flywheel.router.abtest.RunningTest;
import dev.flywheel.router.decision.RewardStats;
import dev.flywheel.support.RepeatingTask;
import dev.flywheel.router.system.RouterProperties;

/**
 * The running A/B tests by model, as routing reads them on every request without touching the database: read at
 * start (before the router takes traffic), again after every change made here (before the change is answered), and
 * every
 * {@code flywheel.router.refresh-interval} to see the changes of other replicas.
 */
@Component
public class RunningTests implements SmartLifecycle, AbTestListener {

	private final AbTestService tests;

	private final Duration timeout;

	private volatile Map<String, ActiveTest> byModel = Map.of();

	private final Map<String, Map<String, RewardStats>> rewards = new ConcurrentHashMap<>();

	private final RepeatingTask refreshing;

	private final AtomicLong reads = new AtomicLong();

	private long applied;

	RunningTests(AbTestService tests, RouterProperties properties) {
		this.tests = tests;
		this.timeout = properties.router().databaseTimeout();
		this.refreshing = RepeatingTask.every(properties.router().refreshInterval(),
				"Reading the running A/B tests (routing keeps the last ones read)", this::refresh);
	}

	/** The running test of a model, if it has one. */
	Optional<ActiveTest> of(String model) {
		return Optional.ofNullable(byModel.get(model));
	}

	/** The latest look's rewards of a test's variants, by name (what Thompson sampling draws from). */
	Map<String, RewardStats> rewards(String testId) {
		return rewards.getOrDefault(testId, Map.of());
	}

	/** Keeps the rewards of a test's latest look. */
	public void lookedAt(String testId, Map<String, RewardStats> latest) {
		rewards.put(testId, Map.copyOf(latest));
	}

	/**
	 * Reads the running tests again. Of two reads that overlap, the one started later wins, so that a periodic read
	 * begun before a change cannot undo the read that follows the change.
	 */
	public Mono<Void> refresh() {
		return Mono.defer(() -> {
			long read = reads.incrementAndGet();
			return tests.running().doOnNext(running -> {
				synchronized (this) {
					if (read > applied) {
						applied = read;
						replace(running);
					}
				}
			});
		}).then();
	}

	private void replace(List<RunningTest> running) {
		Map<String, ActiveTest> fresh = new HashMap<>();
		for (RunningTest test : running) {
			fresh.put(test.test().model(), new ActiveTest(test));
		}
		byModel = Map.copyOf(fresh);
		rewards.keySet().retainAll(running.stream().map(t -> t.test().id()).toList());
	}

	@Override
	public Mono<Void> changed(AbTest test) {
		return refresh();
	}

	@Override
	public void start() {
		refresh().block(timeout);
		refreshing.start();
	}

	@Override
	public void stop() {
		refreshing.stop();
	}

	@Override
	public boolean isRunning() {
		return refreshing.isRunning();
	}

	/** Before the web server takes requests (its phase is higher), after the database is ready. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE / 2;
	}

}
