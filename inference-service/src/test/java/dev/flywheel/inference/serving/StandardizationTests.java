package dev.flywheel.inference.serving;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import dev.flywheel.bundle.BundleException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StandardizationTests {

	@Test
	void givesWhatTheNormalizersOwnTransformGivesToTheBit() {
		int width = 4;
		Random random = new Random(7);
		float[] fit = new float[50 * width];
		for (int i = 0; i < fit.length; i++) {
			// the last column is constant: its std is 0, which the normalizer takes as 1
			fit[i] = i % width == width - 1 ? 2.5f : (float) (random.nextGaussian() * (1 + i % width) + i % width);
		}
		NormalizerStandardize normalizer = new NormalizerStandardize();
		normalizer.fit(new DataSet(Nd4j.create(fit, new long[] { 50, width }, 'c'), Nd4j.zeros(50, 2)));
		float[] rows = new float[300 * width];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = (float) (random.nextGaussian() * 10);
		}
		float[] original = rows.clone();

		float[] ours = Standardization.of(normalizer, width, "m/1").apply(rows, 300);
		INDArray theirs = Nd4j.create(rows, new long[] { 300, width }, 'c');
		normalizer.transform(theirs);

		assertThat(ours).containsExactly(theirs.reshape(theirs.length()).toFloatVector());
		assertThat(rows).as("the rows it was given").containsExactly(original);
	}

	@Test
	void refusesANormalizerOfAnotherWidthThanTheSignature() {
		NormalizerStandardize normalizer = new NormalizerStandardize();
		normalizer.fit(new DataSet(Nd4j.rand(10, 3), Nd4j.zeros(10, 2)));

		assertThatExceptionOfType(BundleException.class).isThrownBy(() -> Standardization.of(normalizer, 4, "m/1"))
			.withMessageContaining("m/1")
			.withMessageContaining("3 columns")
			.withMessageContaining("encodes 4");
	}

}
