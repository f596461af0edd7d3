package dev.flywheel.router.abtest;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Creates, reads, lists and changes A/B tests. A new test is checked against the registry before it is stored, gets
 * a random salt that it keeps for good, and starts running. Stopped, decided and invalid tests are final.
 */
@Service
public class AbTestService {

	private static final Logger logger = LoggerFactory.getLogger(AbTestService.class);

	private final AbTestStore store;

	private final RegistryReferences registry;

	private final Clock clock;

	private final ObjectProvider<AbTestListener> listeners;

	private final SecureRandom random = new SecureRandom();

	AbTestService(AbTestStore store, RegistryReferences registry, Clock clock, ObjectProvider<AbTestListener> listeners) {
		this.store = store;
		this.registry = registry;
		this.clock = clock;
		this.listeners = listeners;
	}

	public Mono<AbTest> create(AbTestDefinition definition) {
		return registry.check(definition).then(Mono.defer(() -> {
			Instant now = now();
			AbTest test = new AbTest(UUID.randomUUID().toString(), definition, newSalt(), AbTestStatus.RUNNING, null,
					now, now);
			return store.insert(test);
		})).flatMap(this::changed).doOnNext(test -> logger.info("A/B test {} of model {} created with variants {}", test.id(), test.model(),
				test.definition().variants().stream().map(v -> v.name() + "=" + v.target()).toList()));
	}

	public Mono<AbTest> get(String id) {
		return store.find(id).switchIfEmpty(Mono.error(() -> new AbTestNotFoundException(id)));
	}

	/** Every test, newest first; only those of {@code model} and in {@code status} when given. */
	public Mono<List<AbTest>> list(String model, AbTestStatus status) {
		return store.list(model, status);
	}

	Mono<AbTest> change(String id, AbTestChange change) {
		return store.update(id, current -> apply(current, change))
			.switchIfEmpty(Mono.error(() -> new AbTestNotFoundException(id)))
			.flatMap(this::changed)
			.doOnNext(test -> logger.info("A/B test {} changed: status {}, weights {}", test.id(), test.status().apiName(),
					test.definition().variants().stream().map(v -> v.name() + "=" + v.weight()).toList()));
	}

	/** The running tests with their weight histories, as assignment needs them. */
	public Mono<List<RunningTest>> running() {
		return store.list(null, AbTestStatus.RUNNING)
			.flatMapMany(reactor.core.publisher.Flux::fromIterable)
			.concatMap(test -> store.weightHistory(test).map(history -> new RunningTest(test, history)))
			.collectList();
	}

	/**
	 * Moves a running (or paused) test to {@code status} for {@code reason}, as the router does on its own: pausing a
	 * test whose variant cannot be served, ending one by its decision. Completes empty when the test is no longer
	 * running or paused (another replica or a user got there first).
	 */
	public Mono<AbTest> setStatus(String id, AbTestStatus status, String reason) {
		return store.update(id, current -> current.status().isFinal() || current.status() == status ? current
				: current.with(current.definition(), status, reason, now()))
			.filter(test -> test.status() == status && reason.equals(test.statusReason()))
			.flatMap(this::changed)
			.doOnNext(test -> {
				if (status == AbTestStatus.DECIDED) {
					logger.info("A/B test {} is now decided: {}", id, reason);
				}
				else {
					logger.warn("A/B test {} is now {}: {}", id, status.apiName(), reason);
				}
			});
	}

	private Mono<AbTest> changed(AbTest test) {
		return reactor.core.publisher.Flux.fromStream(listeners.orderedStream())
			.concatMap(listener -> listener.changed(test).onErrorResume(ex -> {
				logger.warn("Telling {} of the change of A/B test {} failed: {}", listener, test.id(), ex.toString());
				return Mono.empty();
			}))
			.then(Mono.just(test));
	}

	private AbTest apply(AbTest current, AbTestChange change) {
		if (current.status().isFinal()) {
			throw new AbTestConflictException("A/B test " + current.id() + " is " + current.status().apiName()
					+ " and can no longer change");
		}
		AbTestDefinition definition = current.definition();
		if (!change.weights().isEmpty()) {
			Set<String> names = new TreeSet<>(definition.variants().stream().map(Variant::name).toList());
			if (!names.equals(new TreeSet<>(change.weights().keySet()))) {
				throw new InvalidAbTestException("weights", "must give the weight of every variant and only those: "
						+ names + ", got " + new TreeSet<>(change.weights().keySet()));
			}
			definition = definition.withWeights(change.weights());
		}
		AbTestStatus status = change.status() != null ? change.status() : current.status();
		String reason = change.status() != null ? change.reason() : current.statusReason();
		if (change.status() == null && change.reason() != null) {
			throw new InvalidAbTestException("reason", "goes with a change of status");
		}
		return current.with(definition, status, reason, now());
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private String newSalt() {
		byte[] salt = new byte[16];
		random.nextBytes(salt);
		return HexFormat.of().formatHex(salt);
	}

}
