package dev.flywheel.router.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AssignerTests {

	private static final int UNITS = 100_000;

	private static final List<List<Double>> HISTORY = List.of(List.of(90.0, 5.0, 5.0), List.of(80.0, 10.0, 10.0),
			List.of(60.0, 30.0, 10.0));

	@Test
	void assignsSameVariantToSameUnit() {
		// two assigners built independently from the same salt and weight history, as two replicas or a restart
		// would build them: no state but the salt and the history
		Assigner first = new Assigner("checkout-2024", Split.replay(HISTORY));
		Assigner second = new Assigner("checkout-2024", Split.replay(HISTORY));

		for (int i = 0; i < UNITS; i++) {
			String unit = "user-" + i;
			int variant = first.variantOf(unit);
			assertThat(second.variantOf(unit)).isEqualTo(variant);
			assertThat(first.variantOf(unit)).isEqualTo(variant);
		}
	}

	@Test
	void bucketsAreFixedValuesOfTheSaltAndTheUnitKey() {
		// computed with the independent Python reference of Murmur3Tests:
		// seed = mm3(salt.encode(), 0); bucket = mm3(key.encode(), seed) % 10000
		assertThat(Assigner.seedOf("checkout-2024")).isEqualTo(0xbc156117);
		Assigner checkout = new Assigner("checkout-2024", Split.of(List.of(1.0, 1.0)));
		assertThat(checkout.bucketOf("user-42")).isEqualTo(1076);
		assertThat(checkout.bucketOf("user-43")).isEqualTo(7863);
		// hashes with the sign bit set: the bucket is the unsigned value mod 10000
		assertThat(new Assigner("iris-champion-vs-challenger", Split.of(List.of(1.0, 1.0))).bucketOf("user-42"))
			.isEqualTo(4331);
		assertThat(Assigner.bucketOf(Assigner.seedOf("3f2c9a4e-5b1d-4c7e-9a2f-6d8e1b0c7a55"), "session:0001"))
			.isEqualTo(358);
		assertThat(Assigner.bucketOf(Assigner.seedOf("s"), "ü")).isEqualTo(5802);
	}

	@Test
	void assignmentNamesTheUnitItsBucketAndItsVariant() {
		Assigner assigner = new Assigner("checkout-2024", Split.of(List.of(10.0, 90.0)));

		Assignment assignment = assigner.assign(new UnitKey("user-42", false));

		assertThat(assignment.unitKey().value()).isEqualTo("user-42");
		assertThat(assignment.bucket()).isEqualTo(1076);
		assertThat(assignment.variant()).isEqualTo(1);
		assertThat(assigner.assign(new UnitKey("user-43", false)).variant()).isEqualTo(1);
	}

	@Test
	void unitsSpreadOverTheVariantsAsTheWeightsSay() {
		// 100,000 sequential unit keys, the kind of keys callers send; tolerance 4 standard deviations
		int[] tenNinety = counts(new Assigner("checkout-2024", Split.of(List.of(10.0, 90.0))));
		assertThat(tenNinety[0]).isCloseTo(10_000, within(fourSigma(0.1)));

		int[] thirds = counts(new Assigner("checkout-2024", Split.of(List.of(1.0, 1.0, 1.0))));
		assertThat(thirds[0]).isCloseTo(33_340, within(fourSigma(0.3334)));
		assertThat(thirds[1]).isCloseTo(33_330, within(fourSigma(0.3333)));
		assertThat(thirds[2]).isCloseTo(33_330, within(fourSigma(0.3333)));
	}

	@Test
	void unitKeysFillTheBucketsEvenly() {
		// χ² of 100,000 keys over 10,000 buckets against 10 each: 9,999 degrees of freedom, so mean 9,999 and
		// standard deviation sqrt(2·9,999) = 141; a modulo of the signed hash or a poor mix would be far off
		Assigner assigner = new Assigner("iris-champion-vs-challenger", Split.of(List.of(1.0, 1.0)));
		int[] perBucket = new int[Split.BUCKETS];
		for (int i = 0; i < UNITS; i++) {
			perBucket[assigner.bucketOf("user-" + i)]++;
		}
		double expected = (double) UNITS / Split.BUCKETS;
		double chiSquared = 0;
		for (int count : perBucket) {
			chiSquared += (count - expected) * (count - expected) / expected;
		}

		assertThat(chiSquared).isCloseTo(9999, within(4 * Math.sqrt(2 * 9999.0)));
	}

	@Test
	void differentSaltsAssignIndependently() {
		Assigner first = new Assigner("checkout-2024", Split.of(List.of(1.0, 1.0)));
		Assigner second = new Assigner("checkout-2025", Split.of(List.of(1.0, 1.0)));
		double sumX = 0;
		double sumY = 0;
		double sumXX = 0;
		double sumYY = 0;
		double sumXY = 0;
		int sameVariant = 0;
		for (int i = 0; i < UNITS; i++) {
			String unit = "user-" + i;
			double x = first.bucketOf(unit);
			double y = second.bucketOf(unit);
			sumX += x;
			sumY += y;
			sumXX += x * x;
			sumYY += y * y;
			sumXY += x * y;
			if (first.variantOf(unit) == second.variantOf(unit)) {
				sameVariant++;
			}
		}
		double covariance = sumXY / UNITS - (sumX / UNITS) * (sumY / UNITS);
		double correlation = covariance / Math.sqrt((sumXX / UNITS - Math.pow(sumX / UNITS, 2))
				* (sumYY / UNITS - Math.pow(sumY / UNITS, 2)));

		// independent: correlation 0 within 4/sqrt(n), and a unit's two 50/50 assignments agree half the time
		assertThat(correlation).isCloseTo(0, within(4 / Math.sqrt(UNITS)));
		assertThat(sameVariant).isCloseTo(UNITS / 2, within(fourSigma(0.5)));
	}

	@Test
	void raisingOneVariantMovesUnitsOnlyIntoIt() {
		// the same property as SplitTests, seen from unit keys through the assigner, which keeps its salt
		SplittableRandom random = new SplittableRandom(42);
		Assigner assigner = new Assigner("checkout-2024", Split.of(List.of(80.0, 10.0, 5.0, 5.0)));
		int[] before = variants(assigner);
		int moved = 0;
		for (int change = 0; change < 20; change++) {
			int raised = random.nextInt(4);
			List<Double> weights = new ArrayList<>(assigner.split().weights());
			// raise one weight by Δ and lower another by up to Δ (at most half of it), so that the total does not
			// fall and no other share rises: the raised variant's share is the only one that rises
			double raise = weights.get(raised) * (0.1 + random.nextDouble());
			int lowered = (raised + 1 + random.nextInt(3)) % 4;
			double cut = Math.min(raise, weights.get(lowered) / 2) * random.nextDouble();
			weights.set(raised, weights.get(raised) + raise);
			weights.set(lowered, weights.get(lowered) - cut);

			assigner = assigner.reweighted(weights);
			int[] after = variants(assigner);

			for (int unit = 0; unit < UNITS; unit++) {
				if (after[unit] != before[unit]) {
					moved++;
					assertThat(after[unit]).as("user-%d", unit).isEqualTo(raised);
				}
			}
			before = after;
		}
		assertThat(moved).isGreaterThan(10_000);
		assertThat(assigner.salt()).isEqualTo("checkout-2024");
	}

	@Test
	void refusesAnEmptySalt() {
		Split split = Split.of(List.of(1.0, 1.0));

		assertThatThrownBy(() -> new Assigner("", split)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("An A/B test's salt must not be empty");
	}

	private static int[] counts(Assigner assigner) {
		int[] counts = new int[assigner.split().variants()];
		for (int i = 0; i < UNITS; i++) {
			counts[assigner.variantOf("user-" + i)]++;
		}
		return counts;
	}

	private static int[] variants(Assigner assigner) {
		int[] variants = new int[UNITS];
		for (int i = 0; i < UNITS; i++) {
			variants[i] = assigner.variantOf("user-" + i);
		}
		return variants;
	}

	/** Four binomial standard deviations of a count of {@value #UNITS} units at probability p. */
	private static int fourSigma(double p) {
		return (int) Math.ceil(4 * Math.sqrt(UNITS * p * (1 - p)));
	}

}
