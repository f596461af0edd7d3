package dev.flywheel.router.deciding;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.flywheel.router.abtest.AbTest;
import dev.flywheel.router.abtest.AbTestNotFoundException;
import dev.flywheel.router.abtest.AbTestService;
import dev.flywheel.router.abtest.Variant;
import dev.flywheel.router.decision.Decision;
import dev.flywheel.router.decision.DecisionEvaluator;
import dev.flywheel.router.decision.VariantStats;

/**
 * {@code GET /api/v1/ab-tests/{id}/results}: the test's statistics now (every variant's counts, the SRM check, each
 * challenger's always-valid interval and guardrails, read from the stored counts of all replicas), and its decision
 * once there is one, with where the decision's action stands.
 */
@RestController
class ResultsApi {

	private final AbTestService tests;

	private final DecisionStore store;

	ResultsApi(AbTestService tests, DecisionStore store) {
		this.tests = tests;
		this.store = store;
	}

	@GetMapping("/api/v1/ab-tests/{id}/results")
	@Tag(name = "A/B tests")
	@Operation(summary = "An A/B test's results", description = "The statistics now (`look`: every variant's counts, "
			+ "the SRM check, each challenger's always-valid interval and guardrails, over all replicas) and, once "
			+ "decided, the `decision` with its action's state (ab-router/README.md, \"Deciding\")")
	@ApiResponse(responseCode = "200", description = "{ab_test_id, status, status_reason, look, decision?}")
	@ApiResponse(responseCode = "404", description = "ab-test-not-found")
	Mono<Map<String, Object>> results(@PathVariable String id) {
		return tests.get(id).flatMap(test -> store.counts(id).flatMap(counts -> {
			Map<String, Object> results = new LinkedHashMap<>();
			results.put("ab_test_id", id);
			results.put("status", test.status().apiName());
			results.put("status_reason", test.statusReason());
			results.put("look", EvidenceJson.of(look(test, counts), counts));
			return store.find(id).map(decision -> {
				results.put("decision", decision(decision));
				return results;
			}).defaultIfEmpty(results);
		}));
	}

	/** A look at the counts, the sample ratio's since the weights last changed, compared with the current weights. */
	private static Decision look(AbTest test, List<VariantCounts> counts) {
		List<VariantStats> stats = new ArrayList<>();
		for (Variant variant : test.definition().variants()) {
			VariantCounts count = counts.stream().filter(c -> c.name().equals(variant.name())).findFirst().orElseThrow();
			stats.add(new VariantStats(variant.name(), variant.weight(),
					count.sampleRatioCount(test.definition().allocation().mode()), count.rewards(), count.requests()));
		}
		return new DecisionEvaluator(test.definition().policy()).evaluate(stats);
	}

	private static Map<String, Object> decision(StoredDecision decision) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("outcome", decision.outcome());
		json.put("winner", decision.winner());
		json.put("decided_at", java.time.Instant.ofEpochMilli(decision.decidedAt()).toString());
		json.put("action", decision.action().toLowerCase(java.util.Locale.ROOT));
		json.put("action_state", decision.actionState().toLowerCase(java.util.Locale.ROOT));
		json.put("action_attempts", decision.actionAttempts());
		json.put("action_error", decision.actionError());
		json.put("evidence", decision.evidence());
		return json;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(AbTestNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setType(URI.create("https://flywheel.dev/problems/ab-test-not-found"));
		problem.setTitle("No such A/B test");
		return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}


}
