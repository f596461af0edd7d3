package dev.flywheel.router.deciding;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.AbTestService;
import dev.flywheel.router.abtest.AbTestStatus;
import dev.flywheel.router.abtest.Allocation;
import dev.flywheel.router.abtest.RunningTest;
import dev.flywheel.router.abtest.Variant;
import dev.flywheel.router.assignment.Split;
import dev.flywheel.router.decision.Comparison;
import dev.flywheel.router.decision.Decision;
import dev.flywheel.router.decision.Decision.Outcome;
import dev.flywheel.router.decision.DecisionEvaluator;
import dev.flywheel.router.decision.RewardStats;
import dev.flywheel.router.decision.VariantStats;
import dev.flywheel.router.routing.RunningTests;
import dev.flywheel.router.routing.TrafficRecorder;
import dev.flywheel.support.RepeatingTask;
import dev.flywheel.router.system.RouterProperties;

/**
 * Looks at every running test every {@code flywheel.router.decision-interval}: writes this router's counted traffic,
 * reads each test's counts (summed over all replicas), evaluates them with the test's policy (narrowed by the previous
 * look while the weights stay the same), publishes the look as metrics, and when the look is final stores the
 * decision, ends the test ({@code decided}, or {@code invalid} for a sample ratio mismatch) and runs its action.
 * Actions that failed (the registry down) are run again every {@code flywheel.router.action-retry-interval} until they
 * succeed; the decision itself is never lost or taken twice.
 * <p>
 * The SRM check compares the units first seen since the weights last changed with the split of the buckets now (a
 * fixed allocation), or the requests of the uniform share with equal shares (a Thompson-sampling test).
 */
@Component
class DecisionLoop implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DecisionLoop.class);

	private final AbTestService tests;

	private final RunningTests running;

	private final TrafficRecorder traffic;

	private final DecisionStore store;

	private final RegistryActions actions;

	private final LookMetrics metrics;

	private final Clock clock;

	private final RouterProperties.Router settings;

	private final Map<String, PreviousLook> previous = new ConcurrentHashMap<>();

	/** When each failed action may be tried again: the retry interval, doubled per failure up to 32 times it. */
	private final Map<String, Long> nextAttempt = new ConcurrentHashMap<>();

	private final List<RepeatingTask> loops;

	DecisionLoop(AbTestService tests, RunningTests running, TrafficRecorder traffic, DecisionStore store,
			RegistryActions actions, LookMetrics metrics, Clock clock, RouterProperties properties) {
		this.tests = tests;
		this.running = running;
		this.traffic = traffic;
		this.store = store;
		this.actions = actions;
		this.metrics = metrics;
		this.clock = clock;
		this.settings = properties.router();
		this.loops = List.of(
				RepeatingTask.every(settings.decisionInterval(), "Looking at the A/B tests", this::lookAtAll),
				RepeatingTask.every(settings.actionRetryInterval(), "Retrying decisions' actions", this::retryActions));
	}

	private record PreviousLook(int revisions, Decision decision) {
	}

	/** One look at every running test. */
	Mono<Void> lookAtAll() {
		return traffic.flush()
			.onErrorResume(ex -> Mono.empty())
			.then(tests.running())
			.flatMapMany(Flux::fromIterable)
			.concatMap(test -> look(test).onErrorResume(ex -> {
				logger.warn("Looking at A/B test {} failed: {}", test.test().id(), ex.toString());
				return Mono.empty();
			}))
			.then();
	}

	private Mono<Void> look(RunningTest runningTest) {
		AbTest test = runningTest.test();
		return store.counts(test.id()).flatMap(counts -> {
			List<Variant> variants = test.definition().variants();
			List<Double> shares = test.definition().allocation().mode() == Allocation.Mode.FIXED
					? Split.replay(runningTest.weightHistory()).shares() : Collections.nCopies(variants.size(), 1.0);
			List<VariantStats> stats = new ArrayList<>();
			Map<String, RewardStats> rewards = new LinkedHashMap<>();
			for (int i = 0; i < variants.size(); i++) {
				String name = variants.get(i).name();
				VariantCounts count = counts.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
				stats.add(new VariantStats(name, Math.max(shares.get(i), Double.MIN_NORMAL),
						count.sampleRatioCount(test.definition().allocation().mode()), count.rewards(), count.requests()));
				rewards.put(name, count.rewards());
			}
			int revisions = runningTest.weightHistory().size();
			PreviousLook earlier = previous.get(test.id());
			Decision decision = new DecisionEvaluator(test.definition().policy()).evaluate(stats,
					earlier != null && earlier.revisions() == revisions ? earlier.decision() : null);
			previous.put(test.id(), new PreviousLook(revisions, decision));
			metrics.looked(test, decision, counts);
			running.lookedAt(test.id(), rewards);
			return decision.isFinal() ? conclude(test, decision, counts) : Mono.empty();
		});
	}

	private Mono<Void> conclude(AbTest test, Decision decision, List<VariantCounts> counts) {
		Map<String, Object> evidence = EvidenceJson.of(decision, counts);
		evidence.put("reason", reason(test, decision));
		StoredDecision stored = new StoredDecision(test.id(), EvidenceJson.name(decision.outcome()), decision.winner(),
				evidence, clock.millis(), test.definition().action().name(), StoredDecision.PENDING, 0, null, null);
		return store.insert(stored).flatMap(inserted -> {
			if (inserted) {
				logger.info("A/B test {} decided: {}", test.id(), evidence.get("reason"));
				metrics.decided(test, decision);
			}
			// when another replica stored it first (or this one crashed before the test ended), end the test by it
			return (inserted ? Mono.just(stored) : store.find(test.id()))
				.flatMap(decided -> end(test, decided).then(runAction(test, decided)));
		});
	}

	private Mono<AbTest> end(AbTest test, StoredDecision decision) {
		AbTestStatus status = decision.outcome().equals(EvidenceJson.name(Outcome.INVALID_SRM)) ? AbTestStatus.INVALID
				: AbTestStatus.DECIDED;
		return tests.setStatus(test.id(), status, String.valueOf(decision.evidence().get("reason")));
	}

	private Mono<Void> runAction(AbTest test, StoredDecision decision) {
		if (!StoredDecision.PENDING.equals(decision.actionState())) {
			return Mono.empty();
		}
		return actions.run(test, decision)
			.then(Mono.defer(() -> store.actionDone(test.id(), clock.millis())))
			.doOnSuccess(done -> nextAttempt.remove(test.id()))
			.doOnSuccess(done -> logger.info("A/B test {}: the registry took the decision ({})", test.id(),
					decision.action().toLowerCase(Locale.ROOT)))
			.onErrorResume(ex -> {
				long delay = settings.actionRetryInterval().toMillis()
						<< Math.min(5, nextAttempt.containsKey(test.id()) ? decision.actionAttempts() : 0);
				nextAttempt.put(test.id(), clock.millis() + delay);
				logger.warn("A/B test {}: writing the decision to the registry failed, retrying in {} ms: {}", test.id(),
						delay, ex.toString());
				return store.actionFailed(test.id(), ex.toString());
			});
	}

	/** Runs again the actions that have not succeeded yet. */
	Mono<Void> retryActions() {
		return store.pending()
			.flatMapMany(Flux::fromIterable)
			.filter(decision -> nextAttempt.getOrDefault(decision.testId(), 0L) <= clock.millis())
			.concatMap(decision -> tests.get(decision.testId()).flatMap(test -> runAction(test, decision)))
			.then();
	}

	static String reason(AbTest test, Decision decision) {
		String control = test.definition().control().name();
		return switch (decision.outcome()) {
			case WINNER -> {
				Comparison best = decision.evidence().comparison(decision.winner()).orElseThrow();
				yield "variant '" + decision.winner() + "' beats control '" + control + "': " + describe(best);
			}
			case NO_BETTER -> "no variant beats control '" + control + "': " + String.join("; ",
					decision.evidence().comparisons().stream().map(c -> c.challenger() + " " + describe(c)).toList());
			case INCONCLUSIVE -> "reached the maximum of " + test.definition().policy().maxTotalSamples().getAsLong()
					+ " samples without a conclusion";
			case INVALID_SRM -> String.format(Locale.ROOT,
					"sample ratio mismatch: assignments %s against the planned shares %s (always-valid p = %.2g); "
							+ "the results cannot be trusted",
					decision.evidence().sampleRatio().assignments(), decision.evidence().sampleRatio().weights(),
					decision.evidence().sampleRatio().pValue());
			case CONTINUE -> "no decision yet";
		};
	}

	private static String describe(Comparison comparison) {
		return String.format(Locale.ROOT, "lift %+.4f, always-valid interval [%.4f, %.4f], p = %.2g (%s)",
				comparison.lift().estimate(), comparison.lift().lower(), comparison.lift().upper(),
				comparison.lift().pValue(), EvidenceJson.name(comparison.verdict()));
	}

	@Override
	public void start() {
		loops.forEach(RepeatingTask::start);
	}

	@Override
	public void stop() {
		loops.forEach(RepeatingTask::stop);
	}

	@Override
	public boolean isRunning() {
		return loops.get(0).isRunning();
	}

}
