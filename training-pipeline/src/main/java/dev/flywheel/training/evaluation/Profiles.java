package dev.flywheel.training.evaluation;

import java.util.HashMap;
import java.util.Map;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.bundle.ReferenceProfile.CategoricalFeature;
import dev.flywheel.bundle.ReferenceProfile.NumericFeature;
import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.Dataset.Kind;

/** The reference profile of a bundle: the training rows' features and the predictions on the held-out rows. */
public final class Profiles {

	private Profiles() {
	}

	public static ReferenceProfile of(Dataset training, double[][] testProbabilities) {
		Map<String, NumericFeature> numeric = new HashMap<>();
		Map<String, CategoricalFeature> categorical = new HashMap<>();
		int rows = training.examples().size();
		for (int f = 0; f < training.features().size(); f++) {
			Dataset.Feature feature = training.features().get(f);
			int index = f;
			if (feature.kind() == Kind.NUMERIC) {
				double[] values = training.examples().stream().mapToDouble(e -> e.values()[index]).toArray();
				numeric.put(feature.name(), NumericFeature.of(values, ReferenceProfile.DEFAULT_BINS));
			}
			else {
				Map<String, Long> counts = new HashMap<>();
				feature.categories().forEach(category -> counts.put(category, 0L));
				training.examples()
					.forEach(e -> counts.merge(feature.categories().get((int) e.values()[index]), 1L, Long::sum));
				categorical.put(feature.name(), new CategoricalFeature(counts, 0.0));
			}
		}
		Map<String, Long> predicted = new HashMap<>();
		training.classes().forEach(c -> predicted.put(c, 0L));
		for (double[] probabilities : testProbabilities) {
			predicted.merge(training.classes().get(Evaluation.argmax(probabilities)), 1L, Long::sum);
		}
		return new ReferenceProfile(rows, numeric, categorical, new ReferenceProfile.Predictions(predicted, null));
	}

}
