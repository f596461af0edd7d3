package dev.flywheel.router.abtest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/ab-tests}: create (201 with Location), list (filtered by model and status), read, and change
 * (weights, pause, resume, stop). Bodies are read as text and parsed here, so that every malformed or mistyped field
 * is answered with its name; errors are RFC 9457 problems ({@link AbTestProblems}).
 */
@RestController
@RequestMapping("/api/v1/ab-tests")
class AbTestApi {

	private final AbTestService service;

	AbTestApi(AbTestService service) {
		this.service = service;
	}

	@PostMapping
	Mono<ResponseEntity<AbTestView>> create(@RequestBody(required = false) Mono<String> body) {
		return body.defaultIfEmpty("")
			.map(AbTestDefinitionReader::read)
			.flatMap(service::create)
			.map(test -> ResponseEntity.created(URI.create("/api/v1/ab-tests/" + test.id())).body(AbTestView.of(test)));
	}

	@GetMapping
	Mono<AbTestList> list(@RequestParam(required = false) String model,
			@RequestParam(required = false) String status) {
		return Mono.defer(() -> service.list(model, status == null ? null : status(status)))
			.map(tests -> new AbTestList(tests.stream().map(AbTestView::of).toList()));
	}

	@GetMapping("/{id}")
	Mono<AbTestView> get(@PathVariable String id) {
		return service.get(id).map(AbTestView::of);
	}

	@PatchMapping("/{id}")
	Mono<AbTestView> change(@PathVariable String id, @RequestBody(required = false) Mono<String> body) {
		return body.defaultIfEmpty("").map(AbTestChange::read).flatMap(change -> service.change(id, change))
			.map(AbTestView::of);
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
