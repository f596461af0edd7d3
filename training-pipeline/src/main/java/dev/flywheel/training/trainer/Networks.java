package dev.flywheel.training.trainer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import dev.flywheel.training.spec.TrainingSpec;
import dev.flywheel.training.spec.TrainingSpec.HiddenLayer;

/** Builds the dense classifier a spec describes, seeded so that initialisation and dropout repeat. */
final class Networks {

	private Networks() {
	}

	static MultiLayerNetwork build(TrainingSpec spec, int inputs, int classes) {
		ListBuilder layers = new NeuralNetConfiguration.Builder().seed(spec.seed())
			.dataType(DataType.FLOAT)
			.weightInit(WeightInit.XAVIER)
			.updater(updater(spec.training().updater(), spec.training().learningRate()))
			.l2(spec.network().l2())
			.list();
		int width = inputs;
		for (HiddenLayer hidden : spec.network().hidden()) {
			DenseLayer.Builder layer = new DenseLayer.Builder().nIn(width)
				.nOut(hidden.units())
				.activation(Activation.valueOf(hidden.activation().toUpperCase()));
			if (hidden.dropout() > 0) {
				layer.dropOut(1 - hidden.dropout());   // DL4J takes the probability of keeping an activation
			}
			layers.layer(layer.build());
			width = hidden.units();
		}
		layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(width)
			.nOut(classes)
			.activation(Activation.SOFTMAX)
			.build());
		MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
		network.init();
		return network;
	}

	private static IUpdater updater(String name, double learningRate) {
		return switch (name) {
			case "adam" -> new Adam(learningRate);
			case "sgd" -> new Sgd(learningRate);
			case "nesterovs" -> new Nesterovs(learningRate, 0.9);
			case "rmsprop" -> new RmsProp(learningRate);
			case "adagrad" -> new AdaGrad(learningRate);
			case "nadam" -> new Nadam(learningRate);
			default -> throw new IllegalArgumentException("Unknown updater " + name);
		};
	}

}
