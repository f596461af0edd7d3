package dev.flywheel.router.abtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.bundle.BundleException;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.router.system.RouterProperties;

/**
 * Checks a definition against the registry: the model must be registered, and every variant's and shadow's version or
 * alias must exist. What is missing is reported by field (422); a registry that cannot be reached or does not answer
 * within {@code flywheel.registry.timeout} makes the check fail with {@link RegistryUnavailableException} (503).
 * The registry client blocks, so its calls run on a small scheduler of their own, never on the event loop.
 */
@Component
class RegistryReferences implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RegistryReferences.class);

	private final RegistryClient registry;

	private final WebClient web;

	private final Duration timeout;

	private final String registryUrl;

	private final Scheduler scheduler;

	RegistryReferences(RegistryClient registry, RouterProperties properties) {
		this.registry = registry;
		this.registryUrl = properties.registry().url().toString().replaceAll("/+$", "");
		this.web = WebClient.builder().baseUrl(registryUrl).build();
		this.timeout = properties.registry().timeout();
		this.scheduler = Schedulers.newBoundedElastic(properties.registry().threads(), 1_000, "registry-calls");
	}

	/** Completes empty when everything the definition names exists in the registry. */
	Mono<Void> check(AbTestDefinition definition) {
		return modelExists(definition.model()).flatMap(exists -> {
			if (!exists) {
				return Mono.error(new UnknownModelReferenceException(List.of(new FieldError("model",
						"no model named '" + definition.model() + "' is registered at " + registryUrl))));
			}
			return versions(definition);
		});
	}

	private Mono<Boolean> modelExists(String model) {
		return web.get()
			.uri(b -> b.path("/api/2.0/mlflow/registered-models/get").queryParam("name", "{name}").build(model))
			.exchangeToMono(response -> response.releaseBody()
				.then(Mono.fromCallable(() -> {
					if (response.statusCode().is2xxSuccessful()) {
						return true;
					}
					if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
						return false;
					}
					throw new RegistryUnavailableException("The registry at " + registryUrl + " answered HTTP "
							+ response.statusCode().value() + " when asked for model '" + model + "'", null);
				})))
			.timeout(timeout)
			.onErrorMap(ex -> !(ex instanceof RegistryUnavailableException), ex -> unavailable(ex));
	}

	private Mono<Void> versions(AbTestDefinition definition) {
		List<Reference> references = new ArrayList<>();
		for (int i = 0; i < definition.variants().size(); i++) {
			references.add(new Reference("variants[" + i + "]", definition.variants().get(i).target()));
		}
		for (int i = 0; i < definition.shadows().size(); i++) {
			references.add(new Reference("shadows[" + i + "]", definition.shadows().get(i).target()));
		}
		return Flux.fromIterable(references)
			.concatMap(reference -> find(definition.model(), reference.target())
				.map(found -> found.map(v -> Optional.<FieldError>empty())
					.orElseGet(() -> Optional.of(missing(definition.model(), reference)))))
			.filter(Optional::isPresent)
			.map(Optional::get)
			.collectList()
			.flatMap(missing -> missing.isEmpty() ? Mono.empty()
					: Mono.error(new UnknownModelReferenceException(missing)));
	}

	private Mono<Optional<RegistryClient.Version>> find(String model, VersionSelector target) {
		return Mono.fromCallable(() -> registry.find(model, target.value()))
			.subscribeOn(scheduler)
			.timeout(timeout.plus(timeout))
			.onErrorMap(this::unavailable);
	}

	private static FieldError missing(String model, Reference reference) {
		VersionSelector target = reference.target();
		return target.alias() != null
				? new FieldError(reference.path() + ".alias",
						"model '" + model + "' has no alias '" + target.alias() + "' in the registry")
				: new FieldError(reference.path() + ".version",
						"model '" + model + "' has no version " + target.version() + " in the registry");
	}

	private RegistryUnavailableException unavailable(Throwable ex) {
		String what = ex instanceof TimeoutException ? "The registry at " + registryUrl + " did not answer within " + timeout
				: ex instanceof BundleException ? ex.getMessage()
						: "The registry at " + registryUrl + " cannot be reached (" + ex.getMessage() + ")";
		logger.warn("Checking an A/B test against the registry at {} failed: {}", registryUrl, ex.toString());
		return new RegistryUnavailableException(
				what + "; the test's model and versions cannot be checked, try again later", ex);
	}

	private record Reference(String path, VersionSelector target) {
	}

	@Override
	public void destroy() {
		scheduler.dispose();
	}

}
