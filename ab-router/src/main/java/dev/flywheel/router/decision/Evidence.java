package dev.flywheel.router.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a decision rests on, to be stored with it and written to the model versions as tags ({@code statistics.md}
 * §5.3: "record the decision inputs (n, Δ̂, CS, p, guardrails)").
 *
 * @param variants every variant's inputs at the look, the control first: weights, assignments, reward totals (n,
 * sum, sum of squares) and request counts
 * @param sampleRatio the always-valid SRM check of the assignments against the weights (with the classic
 * chi-squared statistic and p-value beside it)
 * @param alphaPerComparison the α each comparison was made at (α over the number of challengers)
 * @param comparisons each challenger against the control, in the variants' order; a challenger is missing while it or
 * the control has fewer than two rewards
 */
public record Evidence(List<VariantStats> variants, SampleRatioMismatch sampleRatio, double alphaPerComparison,
		List<Comparison> comparisons) {

	public Evidence {
		variants = List.copyOf(variants);
		Objects.requireNonNull(sampleRatio, "sampleRatio");
		comparisons = List.copyOf(comparisons);
	}

	/** The control variant. */
	public VariantStats control() {
		return variants.get(0);
	}

	/** The named variant's inputs. */
	public Optional<VariantStats> variant(String name) {
		return variants.stream().filter(v -> v.variant().equals(name)).findFirst();
	}

	/** The named challenger's comparison against the control. */
	public Optional<Comparison> comparison(String challenger) {
		return comparisons.stream().filter(c -> c.challenger().equals(challenger)).findFirst();
	}

	/** Matured rewards over all variants. */
	public long totalSamples() {
		return variants.stream().mapToLong(v -> v.rewards().count()).sum();
	}

}
