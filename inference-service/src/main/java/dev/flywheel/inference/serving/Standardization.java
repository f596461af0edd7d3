package dev.flywheel.inference.serving;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import dev.flywheel.bundle.BundleException;

/**
 * What a {@link NormalizerStandardize} does to a model's input, {@code (x - mean) / std} per column (a std that ND4J
 * judges zero taken as 1), done in plain Java on the flat rows before they become an ND4J array: the same float
 * operations in the same order as the normalizer's {@code subiRowVector} and {@code diviRowVector}, so the same results
 * to the bit, without their two native broadcasts per call. Under 256-row load, DL4J 1.0.0-M2.1 crashed the service in
 * {@code sd::DataBuffer::primary()} inside that broadcast (a native buffer read after it was freed; ND4J frees a
 * buffer once the garbage collector finds its array unreachable; see docs/benchmarks.md).
 */
final class Standardization {

	private final float[] mean;

	private final float[] std;

	private Standardization(float[] mean, float[] std) {
		this.mean = mean;
		this.std = std;
	}

	/**
	 * @param width the columns the model takes
	 * @throws BundleException when the normalizer scales another number of columns
	 */
	static Standardization of(NormalizerStandardize normalizer, int width, String modelVersion) {
		float[] mean = floats(normalizer.getMean());
		// the std as the normalizer's transform filters it: ND4J's own replacement of a (nearly) zero std by 1
		INDArray filteredStd = normalizer.getStd().dup();
		BooleanIndexing.replaceWhere(filteredStd, 1.0, Conditions.equals(0));
		float[] std = floats(filteredStd);
		if (mean.length != width || std.length != width) {
			throw new BundleException("The normalizer of " + modelVersion + " scales " + mean.length
					+ " columns, but its signature encodes " + width);
		}
		return new Standardization(mean, std);
	}

	/** A standardized copy of {@code count} rows of {@link #width()} columns, row-major. */
	float[] apply(float[] rows, int count) {
		int width = mean.length;
		float[] scaled = new float[count * width];
		for (int row = 0; row < count; row++) {
			int offset = row * width;
			for (int column = 0; column < width; column++) {
				scaled[offset + column] = (rows[offset + column] - mean[column]) / std[column];
			}
		}
		return scaled;
	}

	private static float[] floats(INDArray vector) {
		return vector.castTo(DataType.FLOAT).reshape(vector.length()).toFloatVector();
	}

}
