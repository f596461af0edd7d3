package dev.flywheel.router.abtest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.support.ManagementToken;

/**
 * {@code /api/v1/ab-tests}: create (201 with Location), list (filtered by model and status), read, and change
 * (weights, pause, resume, stop). Bodies are read as text and parsed here, so that every malformed or mistyped field
 * is answered with its name; errors are RFC 9457 problems ({@link AbTestProblems}). Creating and changing a test
 * are management calls: with {@code flywheel.security.token} set they need {@code Authorization: Bearer <token>},
 * checked before the body is read.
 */
@RestController
@RequestMapping("/api/v1/ab-tests")
@Tag(name = "A/B tests", description = "Sticky A/B tests between versions of a registered model (ab-router/README.md)")
class AbTestApi {

	private static final String DEFINITION = """
			{"model": "iris",
			 "variants": [{"name": "control", "alias": "champion", "weight": 90},
			              {"name": "challenger", "version": 2, "weight": 10}],
			 "shadows": [{"name": "candidate", "alias": "challenger"}],
			 "reward": {"kind": "label"},
			 "alpha": 0.05, "min_samples": 1000, "max_samples": 30000,
			 "guardrails": {"max_error_rate_increase": 0.001, "p99_latency_ms": 250},
			 "action": "report", "allocation": "fixed"}""";


	private final AbTestService service;

	private final ManagementToken token;

	AbTestApi(AbTestService service, ManagementToken token) {
		this.service = service;
		this.token = token;
	}

	@PostMapping
	@Operation(summary = "Create an A/B test", description = "Starts a test (status `running`) of a registered model; "
			+ "one running test per model. Unknown fields are refused; every field at fault is named in `errors`.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
			mediaType = "application/json", schema = @Schema(type = "object", description = "The test's definition: "
					+ "model, variants (the first is the control), shadows, reward, alpha, min_samples, max_samples, "
					+ "guardrails, action, allocation, uniform_share"),
			examples = @ExampleObject(value = DEFINITION)))
	@ApiResponse(responseCode = "201", description = "Created; Location: /api/v1/ab-tests/{id}")
	@ApiResponse(responseCode = "400", description = "invalid-ab-test: malformed JSON, a wrong type, a broken rule, "
			+ "an unknown field")
	@ApiResponse(responseCode = "401", description = "unauthenticated: flywheel.security.token is set and the call "
			+ "does not carry it")
	@ApiResponse(responseCode = "409", description = "ab-test-conflict: another test of the model is running")
	@ApiResponse(responseCode = "422", description = "unknown-model-reference: no such model, version or alias")
	@ApiResponse(responseCode = "503", description = "registry-unavailable or database-unavailable (Retry-After)")
	Mono<ResponseEntity<AbTestView>> create(@RequestBody(required = false) Mono<String> body,
			ServerHttpRequest request) {
		return authenticated(request).then(body)
			.defaultIfEmpty("")
			.map(AbTestDefinitionReader::read)
			.flatMap(service::create)
			.map(test -> ResponseEntity.created(URI.create("/api/v1/ab-tests/" + test.id())).body(AbTestView.of(test)));
	}

	@GetMapping
	@Operation(summary = "List A/B tests", description = "Newest first, filtered by model and status "
			+ "(running, paused, stopped, decided, invalid)")
	@ApiResponse(responseCode = "200", description = "{\"ab_tests\": [...]}")
	@ApiResponse(responseCode = "400", description = "invalid-ab-test: an unknown status")
	Mono<AbTestList> list(@RequestParam(required = false) String model,
			@RequestParam(required = false) String status) {
		return Mono.defer(() -> service.list(model, status == null ? null : status(status)))
			.map(tests -> new AbTestList(tests.stream().map(AbTestView::of).toList()));
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read an A/B test")
	@ApiResponse(responseCode = "200", description = "The test")
	@ApiResponse(responseCode = "404", description = "ab-test-not-found")
	Mono<AbTestView> get(@PathVariable String id) {
		return service.get(id).map(AbTestView::of);
	}

	@PatchMapping("/{id}")
	@Operation(summary = "Change an A/B test's weights or status", description = "New weights for every variant "
			+ "(names must match the test's), and/or pause, resume or stop it (`status`: paused, running, stopped, "
			+ "with a `reason`). Stopped, decided and invalid tests are final.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
			mediaType = "application/json", schema = @Schema(type = "object"), examples = {
					@ExampleObject(name = "weights", value = "{\"weights\": {\"control\": 50, \"challenger\": 50}}"),
					@ExampleObject(name = "pause", value = "{\"status\": \"paused\", \"reason\": \"incident\"}") }))
	@ApiResponse(responseCode = "200", description = "The changed test")
	@ApiResponse(responseCode = "400", description = "invalid-ab-test")
	@ApiResponse(responseCode = "401", description = "unauthenticated: flywheel.security.token is set and the call "
			+ "does not carry it")
	@ApiResponse(responseCode = "404", description = "ab-test-not-found")
	@ApiResponse(responseCode = "409", description = "ab-test-conflict: the test is final, or resuming it would run "
			+ "a second test of its model")
	@ApiResponse(responseCode = "503", description = "database-unavailable (Retry-After)")
	Mono<AbTestView> change(@PathVariable String id, @RequestBody(required = false) Mono<String> body,
			ServerHttpRequest request) {
		return authenticated(request).then(body)
			.defaultIfEmpty("").map(AbTestChange::read).flatMap(change -> service.change(id, change))
			.map(AbTestView::of);
	}

	/** Creating and changing tests are management calls: they need the token when one is set. */
	private Mono<Void> authenticated(ServerHttpRequest request) {
		return switch (token.check(request)) {
			case ACCEPTED -> Mono.empty();
			case MISSING -> Mono.error(new UnauthenticatedException(
					"This router requires a bearer token to create or change A/B tests: send Authorization: Bearer <token>"));
			case INVALID -> Mono.error(new UnauthenticatedException("The bearer token is not valid for this router"));
		};
	}

	private static AbTestStatus status(String value) {
		for (AbTestStatus status : AbTestStatus.values()) {
			if (status.apiName().equals(value.toLowerCase(Locale.ROOT))) {
				return status;
			}
		}
		throw new InvalidAbTestException("status", "must be one of running, paused, stopped, decided, invalid, not \""
				+ value + "\"");
	}

	/** The answer of the list: {@code {"ab_tests": [...]}}, an object so that paging can be added later. */
	record AbTestList(List<AbTestView> abTests) {
	}

}
