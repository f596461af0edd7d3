package dev.flywheel.training.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.Dataset.Example;
import dev.flywheel.training.spec.TrainingSpec.SplitSpec;

/**
 * The train, validation and test parts of a dataset. Seeded, so the same data and seed always split the same way,
 * and stratified when asked: each class is split in the same proportions.
 */
public record Split(Dataset train, Dataset validation, Dataset test) {

	public static Split of(Dataset dataset, SplitSpec spec, long seed) {
		List<List<Example>> groups = new ArrayList<>();
		if (spec.stratify()) {
			for (int c = 0; c < dataset.classes().size(); c++) {
				groups.add(new ArrayList<>());
			}
			for (Example example : dataset.examples()) {
				groups.get(example.label()).add(example);
			}
		}
		else {
			groups.add(new ArrayList<>(dataset.examples()));
		}
		Random random = new Random(seed);
		List<Example> train = new ArrayList<>();
		List<Example> validation = new ArrayList<>();
		List<Example> test = new ArrayList<>();
		for (List<Example> group : groups) {
			Collections.shuffle(group, random);
			int testCount = (int) Math.round(group.size() * spec.test());
			int validationCount = (int) Math.round(group.size() * spec.validation());
			test.addAll(group.subList(0, testCount));
			validation.addAll(group.subList(testCount, testCount + validationCount));
			train.addAll(group.subList(testCount + validationCount, group.size()));
		}
		Collections.shuffle(train, random);
		return new Split(dataset.withExamples(train), dataset.withExamples(validation), dataset.withExamples(test));
	}

}
