package dev.flywheel.router.routing;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.AbTestService;
import dev.flywheel.router.abtest.AbTestStatus;
import dev.flywheel.router.abtest.ShadowVariant;
import dev.flywheel.router.assignment.UnitKey;
import dev.flywheel.router.assignment.UnitKeys;

/**
 * Routes one prediction request:
 * <ol>
 * <li>A request that names a version, or whose model has no running A/B test, goes to the inference service as it
 * is.</li>
 * <li>Otherwise its unit key ({@value UnitKeys#HEADER}, else OIP {@code parameters.unit}, else random) picks the
 * variant, and the request goes to the variant's version with the variant named in {@value #VARIANT_HEADER} (so the
 * prediction log records it).</li>
 * <li>A successful answer comes back with the test and variant added (OIP {@code parameters}, fields in the other
 * APIs, and the {@value #VARIANT_HEADER} and {@value #TEST_HEADER} headers); its predictions are recorded for their
 * feedback and the unit counts as assigned. Shadows get a copy afterwards, off the answer's path.</li>
 * <li>An error answer of the variant's version (5xx) or a timeout counts as a failed request of the variant (what the
 * error-rate guardrail watches) and is passed on; a 4xx is the client's and counts nothing; an unreachable service
 * is answered 503 and counts nothing.</li>
 * <li>When the inference service does not know the variant's version (404), the test pauses itself, saying why, and
 * the request is answered by the model's default version instead.</li>
 * </ol>
 */
@Component
class PredictionRouter {

	static final String VARIANT_HEADER = "X-Flywheel-Variant";

	static final String TEST_HEADER = "X-Flywheel-AB-Test";

	private static final Logger logger = LoggerFactory.getLogger(PredictionRouter.class);

	private static final int MAX_SHADOW_CALLS_IN_FLIGHT = 64;

	private final RunningTests tests;

	private final InferenceClient inference;

	private final TrafficRecorder recorder;

	private final AbTestService abTests;

	private final Semaphore shadowCalls = new Semaphore(MAX_SHADOW_CALLS_IN_FLIGHT);

	PredictionRouter(RunningTests tests, InferenceClient inference, TrafficRecorder recorder, AbTestService abTests) {
		this.tests = tests;
		this.inference = inference;
		this.recorder = recorder;
		this.abTests = abTests;
	}

	/**
	 * @param model the model named by the request, or null (a scoring request for the only served model)
	 * @param version the version the request names, or null
	 * @param unitHeader the {@value UnitKeys#HEADER} header, or null
	 */
	Mono<RoutedAnswer> route(Protocol protocol, String model, String version, String unitHeader,
			String contentType, byte[] body) {
		ActiveTest active = version == null && model != null ? tests.of(model).orElse(null) : null;
		if (active == null) {
			return passThrough(protocol, model, version, contentType, body);
		}
		UnitKey unit;
		try {
			unit = UnitKeys.givenOrRandom(unitHeader,
					unitHeader == null && protocol == Protocol.OIP ? UnitParameter.of(body) : null);
		}
		catch (IllegalArgumentException ex) {
			return Mono.just(RoutedAnswer.error(protocol, 400, ex.getMessage(), null));
		}
		Route route = active.route(unit, tests.rewards(active.test().id()));
		long start = System.nanoTime();
		return inference.post(protocol.path(model, route.target().value()), body, contentType, route.variant())
			.flatMap(answer -> {
				long latency = System.nanoTime() - start;
				if (answer.isSuccess()) {
					return served(protocol, model, route, answer, latency, body, contentType);
				}
				if (answer.status() == 404) {
					return versionMissing(route, answer)
						.then(passThrough(protocol, model, null, contentType, body));
				}
				if (answer.status() >= 500) {
					recorder.failed(route, latency);
				}
				return Mono.just(RoutedAnswer.passOn(answer, route));
			})
			.onErrorResume(InferenceUnavailableException.class, ex -> {
				if (ex.timedOut()) {
					recorder.failed(route, System.nanoTime() - start);
				}
				return Mono.just(RoutedAnswer.unavailable(protocol, ex));
			});
	}

	private Mono<RoutedAnswer> served(Protocol protocol, String model, Route route, InferenceAnswer answer,
			long latency, byte[] body, String contentType) {
		ServedPredictions served = ServedPredictions.read(protocol, answer.body());
		if (served == null) {
			recorder.failed(route, latency);
			return Mono.just(RoutedAnswer.passOn(answer, route));
		}
		recorder.served(model, route, served, latency);
		AbTest test = route.test();
		for (ShadowVariant shadow : test.definition().shadows()) {
			mirror(protocol, model, test, shadow, served, body, contentType);
		}
		return Mono.just(RoutedAnswer.served(answer.status(), route,
				served.withTest(protocol, test.id(), route.variant())));
	}

	private Mono<RoutedAnswer> passThrough(Protocol protocol, String model, String version,
			String contentType, byte[] body) {
		return inference.post(protocol.path(model, version), body, contentType, null).flatMap(answer -> {
			if (answer.isSuccess() && model != null) {
				ServedPredictions served = ServedPredictions.read(protocol, answer.body());
				if (served != null) {
					recorder.served(model, null, served, 0);
				}
			}
			return Mono.just(RoutedAnswer.passOn(answer, null));
		}).onErrorResume(InferenceUnavailableException.class, ex -> Mono.just(RoutedAnswer.unavailable(protocol, ex)));
	}

	private Mono<Void> versionMissing(Route route, InferenceAnswer answer) {
		String reason = "variant '" + route.variant() + "' (" + route.target() + ") is not served by the inference "
				+ "service: " + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
		return abTests.setStatus(route.test().id(), AbTestStatus.PAUSED, reason)
			.then()
			.onErrorResume(ex -> {
				logger.warn("Pausing A/B test {} failed: {}", route.test().id(), ex.toString());
				return Mono.empty();
			});
	}

	/** Sends a copy to a shadow and counts its agreement with the answer given; never delays nor fails the answer. */
	private void mirror(Protocol protocol, String model, AbTest test, ShadowVariant shadow, ServedPredictions primary,
			byte[] body, String contentType) {
		if (!shadowCalls.tryAcquire()) {
			logger.debug("Skipped a copy to shadow {}: {} copies in flight", shadow.name(), MAX_SHADOW_CALLS_IN_FLIGHT);
			return;
		}
		long start = System.nanoTime();
		inference.post(protocol.path(model, shadow.target().value()), body, contentType, shadow.name())
			.doFinally(signal -> shadowCalls.release())
			.subscribe(answer -> {
				long latency = System.nanoTime() - start;
				ServedPredictions served = answer.isSuccess() ? ServedPredictions.read(protocol, answer.body()) : null;
				if (served == null) {
					recorder.shadowFailed(test.id(), model, shadow.name(), latency);
					return;
				}
				recorder.shadowed(test.id(), model, shadow.name(), served.rows(),
						agreement(primary.labels(), served.labels()), latency);
			}, ex -> recorder.shadowFailed(test.id(), model, shadow.name(), System.nanoTime() - start));
	}

	private static int agreement(List<String> primary, List<String> shadow) {
		if (primary == null || shadow == null || primary.size() != shadow.size()) {
			return 0;
		}
		int agreed = 0;
		for (int row = 0; row < primary.size(); row++) {
			if (Objects.equals(primary.get(row), shadow.get(row))) {
				agreed++;
			}
		}
		return agreed;
	}

}
