package dev.flywheel.router.decision;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flywheel.router.decision.Comparison.Verdict;
import dev.flywheel.router.decision.Decision.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Interval ends are §2.2's formulas worked by hand (see {@link MixtureConfidenceSequenceTests}). */
class DecisionEvaluatorTests {

	private final DecisionEvaluator evaluator = new DecisionEvaluator(DecisionPolicy.defaults());

	/** An even-weight variant assigned as many units as it has binary rewards. */
	private static VariantStats rates(String name, long count, long successes) {
		return VariantStats.of(name, 1, count, RewardStats.ofBinary(count, successes));
	}

	@Test
	void aChallengerWhoseIntervalLiesAboveZeroWins() {
		Decision decision = evaluator.evaluate(List.of(rates("champion", 5000, 4000), rates("challenger", 5000, 4150)));

		assertThat(decision.outcome()).isEqualTo(Outcome.WINNER);
		assertThat(decision.winner()).isEqualTo("challenger");
		assertThat(decision.losers()).isEmpty();
		assertThat(decision.isFinal()).isTrue();
		Comparison comparison = decision.evidence().comparison("challenger").orElseThrow();
		assertThat(comparison.verdict()).isEqualTo(Verdict.BETTER);
		assertThat(comparison.lift().estimate()).isCloseTo(0.03, within(1e-12));
		assertThat(comparison.lift().lower()).isCloseTo(0.006242463361993609, within(1e-14));
		assertThat(comparison.lift().upper()).isCloseTo(0.053757536638006226, within(1e-14));
		assertThat(comparison.lift().pValue()).isCloseTo(0.0036359960432712293, within(1e-13));
		assertThat(decision.evidence().sampleRatio().pValue()).isEqualTo(1);
		assertThat(decision.evidence().alphaPerComparison()).isEqualTo(0.05);
		assertThat(decision.evidence().totalSamples()).isEqualTo(10_000);
	}

	@Test
	void aChallengerWhoseIntervalLiesBelowZeroLoses() {
		Decision decision = evaluator.evaluate(List.of(rates("champion", 5000, 4150), rates("challenger", 5000, 4000)));

		assertThat(decision.outcome()).isEqualTo(Outcome.NO_BETTER);
		assertThat(decision.winner()).isNull();
		assertThat(decision.losers()).containsExactly("challenger");
		assertThat(decision.evidence().comparison("challenger").orElseThrow().lift().upper())
			.isCloseTo(-0.006242463361993602, within(1e-14));
	}

	@Test
	void nothingIsDecidedBelowTheSampleFloorHoweverClearTheDifference() {
		Decision decision = evaluator.evaluate(List.of(rates("champion", 999, 500), rates("challenger", 999, 900)));

		assertThat(decision.outcome()).isEqualTo(Outcome.CONTINUE);
		assertThat(decision.isFinal()).isFalse();
		Comparison comparison = decision.evidence().comparison("challenger").orElseThrow();
		assertThat(comparison.lift().isAbove(0)).isTrue();
		assertThat(comparison.verdict()).isEqualTo(Verdict.UNDECIDED);
	}

	@Test
	void anUndecidedTestEndsInconclusiveAtTheMaximumSample() {
		List<VariantStats> look = List.of(rates("champion", 1000, 800), rates("challenger", 1000, 820));

		assertThat(new DecisionEvaluator(DecisionPolicy.defaults().withMaxTotalSamples(2000)).evaluate(look).outcome())
			.isEqualTo(Outcome.INCONCLUSIVE);
		assertThat(new DecisionEvaluator(DecisionPolicy.defaults().withMaxTotalSamples(2001)).evaluate(look).outcome())
			.isEqualTo(Outcome.CONTINUE);
		assertThat(evaluator.evaluate(look).outcome()).isEqualTo(Outcome.CONTINUE);
	}

	@Test
	void aSampleRatioMismatchInvalidatesTheTestBeforeAnythingElse() {
		// planned 90/10, delivered 80/20, and the challenger far better: still invalid, and before the floor
		List<VariantStats> look = List.of(VariantStats.of("champion", 90, 800, RewardStats.ofBinary(500, 250)),
				VariantStats.of("challenger", 10, 200, RewardStats.ofBinary(150, 140)));

		Decision decision = evaluator.evaluate(look);

		assertThat(decision.outcome()).isEqualTo(Outcome.INVALID_SRM);
		assertThat(decision.winner()).isNull();
		assertThat(decision.evidence().sampleRatio().assignments()).containsExactly(800L, 200L);
		// decided on the always-valid p-value; the classic chi-squared one is reported beside it
		assertThat(decision.evidence().sampleRatio().pValue()).isCloseTo(6.7003015375414164e-18, within(1e-26));
		assertThat(decision.evidence().sampleRatio().chiSquaredPValue()).isCloseTo(5.594557236191545e-26,
				within(1e-36));
	}

	@Test
	void theSrmPValueIsCarriedFromThePreviousLookAtItsRunningMinimum() {
		// 5165/4835 on an even split: always-valid p = 0.046; 5200/4900 alone: 0.123
		List<VariantStats> first = List.of(VariantStats.of("champion", 1, 5165, RewardStats.ofBinary(500, 400)),
				VariantStats.of("challenger", 1, 4835, RewardStats.ofBinary(500, 400)));
		List<VariantStats> second = List.of(VariantStats.of("champion", 1, 5200, RewardStats.ofBinary(600, 480)),
				VariantStats.of("challenger", 1, 4900, RewardStats.ofBinary(600, 480)));

		Decision earlier = evaluator.evaluate(first);
		Decision later = evaluator.evaluate(second, earlier);

		assertThat(earlier.evidence().sampleRatio().pValue()).isCloseTo(0.0458423313823749, within(1e-11));
		assertThat(evaluator.evaluate(second).evidence().sampleRatio().pValue()).isCloseTo(0.12271730773244537,
				within(1e-11));
		assertThat(later.evidence().sampleRatio().pValue()).isEqualTo(earlier.evidence().sampleRatio().pValue());
		assertThat(later.outcome()).isEqualTo(Outcome.CONTINUE);
	}

	@Test
	void aBreachedGuardrailMakesALoserOfAChallengerWithABetterReward() {
		DecisionEvaluator guarded = new DecisionEvaluator(
				DecisionPolicy.defaults().withGuardrails(new ErrorRateGuardrail(0.001)));
		List<VariantStats> look = List.of(
				new VariantStats("champion", 1, 10_000, RewardStats.ofBinary(5000, 4000),
						new RequestCounts(10_000, 100, 0)),
				new VariantStats("challenger", 1, 10_000, RewardStats.ofBinary(5000, 4150),
						new RequestCounts(10_000, 300, 0)));

		Decision decision = guarded.evaluate(look);

		assertThat(decision.outcome()).isEqualTo(Outcome.NO_BETTER);
		assertThat(decision.losers()).containsExactly("challenger");
		Comparison comparison = decision.evidence().comparison("challenger").orElseThrow();
		assertThat(comparison.verdict()).isEqualTo(Verdict.GUARDRAIL_BREACHED);
		assertThat(comparison.lift().isAbove(0)).isTrue();
		assertThat(comparison.guardrails()).singleElement().satisfies(check -> {
			assertThat(check.breached()).isTrue();
			assertThat(check.value()).isCloseTo(0.02, within(1e-15));
		});
	}

	@Test
	void severalChallengersShareAlphaAndTheHighestLowerBoundWins() {
		// α/2 = 0.025 each: 1700/2000 against 1600/2000 gives [0.0106, 0.0894]; 1720 gives [0.0211, 0.0989]
		Decision oneBetter = evaluator.evaluate(List.of(rates("champion", 2000, 1600), rates("a", 2000, 1700),
				rates("b", 2000, 1650)));
		Decision bothBetter = evaluator.evaluate(List.of(rates("champion", 2000, 1600), rates("a", 2000, 1700),
				rates("b", 2000, 1720)));

		assertThat(oneBetter.evidence().alphaPerComparison()).isEqualTo(0.025);
		assertThat(oneBetter.evidence().comparison("a").orElseThrow().lift().lower())
			.isCloseTo(0.010628668809440127, within(1e-14));
		assertThat(oneBetter.evidence().comparison("b").orElseThrow().verdict()).isEqualTo(Verdict.UNDECIDED);
		assertThat(oneBetter.winner()).isEqualTo("a");
		assertThat(bothBetter.evidence().comparison("b").orElseThrow().lift().lower())
			.isCloseTo(0.02111785825327464, within(1e-14));
		assertThat(bothBetter.winner()).isEqualTo("b");
	}

	@Test
	void theTestGoesOnWhileOneOfSeveralChallengersIsUndecided() {
		Decision decision = evaluator.evaluate(List.of(rates("champion", 5000, 4150), rates("a", 5000, 4000),
				rates("b", 5000, 4150)));

		assertThat(decision.outcome()).isEqualTo(Outcome.CONTINUE);
		assertThat(decision.losers()).containsExactly("a");
	}

	@Test
	void aMinimumLiftAsksForAPracticallyBetterChallenger() {
		List<VariantStats> look = List.of(rates("champion", 5000, 4000), rates("challenger", 5000, 4150));

		assertThat(new DecisionEvaluator(DecisionPolicy.defaults().withMinimumLift(0.006)).evaluate(look).outcome())
			.isEqualTo(Outcome.WINNER);
		assertThat(new DecisionEvaluator(DecisionPolicy.defaults().withMinimumLift(0.007)).evaluate(look).outcome())
			.isEqualTo(Outcome.CONTINUE);
	}

	@Test
	void aNegativeMinimumLiftTestsNonInferiority() {
		DecisionEvaluator nonInferiority = new DecisionEvaluator(DecisionPolicy.defaults().withMinimumLift(-0.01));

		// equal rates over 50,000 each: [-0.0084, 0.0084] lies above -0.01, so the cheaper model may replace
		Decision asGood = nonInferiority
			.evaluate(List.of(rates("champion", 50_000, 40_000), rates("challenger", 50_000, 40_000)));
		// two points worse: [-0.0286, -0.0114] lies below the margin
		Decision worse = nonInferiority
			.evaluate(List.of(rates("champion", 50_000, 40_000), rates("challenger", 50_000, 39_000)));

		assertThat(asGood.outcome()).isEqualTo(Outcome.WINNER);
		assertThat(asGood.evidence().comparison("challenger").orElseThrow().lift().lower())
			.isCloseTo(-0.008441656027406331, within(1e-14));
		assertThat(worse.outcome()).isEqualTo(Outcome.NO_BETTER);
		assertThat(worse.evidence().comparison("challenger").orElseThrow().lift().upper())
			.isCloseTo(-0.011406700988117064, within(1e-14));
	}

	@Test
	void thePreviousLookNarrowsTheInterval() {
		// look 1: [-0.00042, 0.0604]; look 2 alone: [-0.0119, 0.0419]; narrowed: [-0.00042, 0.0419]
		Decision first = evaluator.evaluate(List.of(rates("champion", 3000, 2400), rates("challenger", 3000, 2490)));
		List<VariantStats> second = List.of(rates("champion", 4000, 3200), rates("challenger", 4000, 3260));

		AlwaysValidInterval alone = evaluator.evaluate(second).evidence().comparison("challenger").orElseThrow().lift();
		AlwaysValidInterval narrowed = evaluator.evaluate(second, first)
			.evidence()
			.comparison("challenger")
			.orElseThrow()
			.lift();

		assertThat(alone.lower()).isCloseTo(-0.011861052183463401, within(1e-14));
		assertThat(narrowed.lower()).isCloseTo(-0.0004222728761256109, within(1e-14));
		assertThat(narrowed.upper()).isCloseTo(0.041861052183463206, within(1e-14));
		assertThat(narrowed.estimate()).isEqualTo(alone.estimate());
		AlwaysValidInterval firstLift = first.evidence().comparison("challenger").orElseThrow().lift();
		assertThat(narrowed.pValue()).isEqualTo(Math.min(alone.pValue(), firstLift.pValue()));
	}

	@Test
	void looksBelowTheFloorDoNotNarrow() {
		Decision early = evaluator.evaluate(List.of(rates("champion", 500, 400), rates("challenger", 500, 450)));
		List<VariantStats> later = List.of(rates("champion", 4000, 3200), rates("challenger", 4000, 3260));

		assertThat(evaluator.evaluate(later, early)).isEqualTo(evaluator.evaluate(later));
	}

	@Test
	void refusesFewerThanTwoVariantsOrANameUsedTwice() {
		assertThatThrownBy(() -> evaluator.evaluate(List.of(rates("champion", 10, 5))))
			.hasMessageContaining("at least two variants");
		assertThatThrownBy(() -> evaluator.evaluate(List.of(rates("x", 10, 5), rates("x", 10, 5))))
			.hasMessageContaining("appears twice");
		assertThatThrownBy(() -> DecisionPolicy.defaults().withMaxTotalSamples(1500))
			.hasMessageContaining("leaves no room");
	}

}
