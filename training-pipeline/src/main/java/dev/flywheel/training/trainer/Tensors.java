package dev.flywheel.training.trainer;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import dev.flywheel.training.dataset.Dataset;
import dev.flywheel.training.dataset.Dataset.Example;

/** Datasets as ND4J arrays, built from flat float arrays (row by row creation is 30-60 times slower). */
public final class Tensors {

	private Tensors() {
	}

	public static DataSet dataSet(Dataset dataset) {
		return new DataSet(features(dataset), labels(dataset));
	}

	public static INDArray features(Dataset dataset) {
		int width = dataset.inputWidth();
		List<Example> examples = dataset.examples();
		float[] flat = new float[examples.size() * width];
		for (int i = 0; i < examples.size(); i++) {
			double[] encoded = dataset.encode(examples.get(i));
			for (int j = 0; j < width; j++) {
				flat[i * width + j] = (float) encoded[j];
			}
		}
		return Nd4j.create(flat, new long[] { examples.size(), width }, 'c');
	}

	static INDArray labels(Dataset dataset) {
		int classes = dataset.classes().size();
		List<Example> examples = dataset.examples();
		float[] flat = new float[examples.size() * classes];
		for (int i = 0; i < examples.size(); i++) {
			flat[i * classes + examples.get(i).label()] = 1;
		}
		return Nd4j.create(flat, new long[] { examples.size(), classes }, 'c');
	}

	/** Class probabilities for every example, one row each. */
	public static double[][] probabilities(MultiLayerNetwork network, DataNormalization normalizer, Dataset dataset) {
		INDArray input = features(dataset);
		normalizer.transform(input);
		INDArray output = network.output(input);
		int rows = (int) output.rows();
		int columns = (int) output.columns();
		float[] flat = output.reshape((long) rows * columns).toFloatVector();
		double[][] probabilities = new double[rows][columns];
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < columns; j++) {
				probabilities[i][j] = flat[i * columns + j];
			}
		}
		return probabilities;
	}

}
