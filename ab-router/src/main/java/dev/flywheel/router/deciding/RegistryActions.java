package dev.flywheel.router.deciding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.DecisionAction;
import dev.flywheel.router.system.RouterProperties;

/**
 * Writes a decision to the registry (MLflow's REST API, every call bounded by {@code flywheel.registry.timeout}):
 * <ul>
 * <li>tags on the model version each variant served: {@code flywheel.ab_test.<id>.outcome} (the test's),
 * {@code .result} ({@code control}, {@code winner}, {@code loser} or {@code undecided}) and {@code .evidence} (the
 * variant's numbers and its comparison with the control, as JSON);</li>
 * <li>then the action: {@code promote} moves {@code champion} to the winner's version; {@code rollback} removes
 * {@code challenger} from each loser's version (where it still points there); {@code report} does nothing more.</li>
 * </ul>
 * Every call is idempotent, so an action that failed halfway is simply run again.
 */
@Component
class RegistryActions {

	static final String CHAMPION = "champion";

	static final String CHALLENGER = "challenger";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebClient web;

	private final Duration timeout;

	RegistryActions(RouterProperties properties) {
		String token = properties.security().token();
		this.web = WebClient.builder()
			.baseUrl(properties.registry().url().toString().replaceAll("/+$", "") + "/api/2.0/mlflow")
			.defaultHeaders(headers -> {
				if (token != null && !token.isBlank()) {
					headers.setBearerAuth(token);
				}
			})
			.build();
		this.timeout = properties.registry().timeout();
	}

	Mono<Void> run(AbTest test, StoredDecision decision) {
		return tags(test, decision).then(Mono.defer(() -> action(test, decision)));
	}

	@SuppressWarnings("unchecked")
	private Mono<Void> tags(AbTest test, StoredDecision decision) {
		List<Map<String, Object>> variants = (List<Map<String, Object>>) decision.evidence().get("variants");
		List<Map<String, Object>> comparisons = (List<Map<String, Object>>) decision.evidence().get("comparisons");
		List<String> losers = (List<String>) decision.evidence().get("losers");
		String prefix = "flywheel.ab_test." + test.id() + ".";
		List<Mono<Void>> calls = new ArrayList<>();
		for (int i = 0; i < variants.size(); i++) {
			Map<String, Object> variant = variants.get(i);
			String name = (String) variant.get("name");
			String version = (String) variant.get("model_version");
			if (version == null) {
				continue;
			}
			String result = i == 0 ? "control" : name.equals(decision.winner()) ? "winner"
					: losers.contains(name) ? "loser" : "undecided";
			Map<String, Object> evidence = new LinkedHashMap<>(variant);
			comparisons.stream().filter(c -> name.equals(c.get("challenger"))).findFirst()
				.ifPresent(c -> evidence.put("comparison", c));
			String json = JSON.writeValueAsString(evidence);
			calls.add(setTag(test.model(), version, prefix + "outcome", decision.outcome()));
			calls.add(setTag(test.model(), version, prefix + "result", result));
			calls.add(setTag(test.model(), version, prefix + "evidence",
					json.length() <= 5000 ? json : json.substring(0, 5000)));
		}
		return Flux.concat(calls).then();
	}

	@SuppressWarnings("unchecked")
	private Mono<Void> action(AbTest test, StoredDecision decision) {
		DecisionAction action = DecisionAction.valueOf(decision.action());
		List<Map<String, Object>> variants = (List<Map<String, Object>>) decision.evidence().get("variants");
		if (action == DecisionAction.PROMOTE && decision.winner() != null) {
			String version = versionOf(variants, decision.winner());
			if (version == null) {
				return Mono.error(new IllegalStateException("The winner " + decision.winner()
						+ " has no served model version on record; nothing to promote"));
			}
			return post("/registered-models/alias", Map.of("name", test.model(), "alias", CHAMPION, "version", version));
		}
		if (action == DecisionAction.ROLLBACK) {
			List<String> losers = (List<String>) decision.evidence().get("losers");
			return Flux.fromIterable(losers)
				.map(loser -> Objects.requireNonNullElse(versionOf(variants, loser), ""))
				.filter(version -> !version.isEmpty())
				.concatMap(version -> aliasVersion(test.model(), CHALLENGER).flatMap(current -> current.equals(version)
						? delete("/registered-models/alias", test.model(), CHALLENGER) : Mono.empty()))
				.then();
		}
		return Mono.empty();
	}

	private static String versionOf(List<Map<String, Object>> variants, String name) {
		return variants.stream()
			.filter(v -> name.equals(v.get("name")))
			.map(v -> (String) v.get("model_version"))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private Mono<Void> setTag(String model, String version, String key, String value) {
		return post("/model-versions/set-tag", Map.of("name", model, "version", version, "key", key, "value", value));
	}

	private Mono<Void> post(String path, Map<String, String> body) {
		return web.post().uri(path).bodyValue(body).retrieve().toBodilessEntity().timeout(timeout).then();
	}

	private Mono<Void> delete(String path, String model, String alias) {
		return web.delete()
			.uri(b -> b.path(path).queryParam("name", "{name}").queryParam("alias", "{alias}").build(model, alias))
			.retrieve()
			.toBodilessEntity()
			.timeout(timeout)
			.then();
	}

	/** The version an alias points at; empty when the alias is not set. */
	private Mono<String> aliasVersion(String model, String alias) {
		return web.get()
			.uri(b -> b.path("/registered-models/alias").queryParam("name", "{name}").queryParam("alias", "{alias}")
				.build(model, alias))
			.header(HttpHeaders.ACCEPT, "application/json")
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(timeout)
			.map(json -> json.path("model_version").path("version").asString())
			.onErrorResume(WebClientResponseException.class,
					ex -> ex.getStatusCode().value() == HttpStatus.NOT_FOUND.value() ? Mono.empty() : Mono.error(ex));
	}

}
