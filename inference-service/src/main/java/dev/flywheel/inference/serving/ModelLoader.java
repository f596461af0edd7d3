package dev.flywheel.inference.serving;

import java.io.IOException;
import java.time.Duration;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.stereotype.Component;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleException;
import dev.flywheel.inference.batching.Batcher;
import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceProperties;
import dev.flywheel.inference.system.InferenceProperties.Batching;

/**
 * Turns a verified bundle into a served version: restores the DL4J network with its normalizer, checks that it fits
 * the bundle's signature, warms it up with a single row and a full batch (the first calls load natives and size
 * buffers), and starts its batcher. Runs on the loading thread, never on a request's.
 */
@Component
public class ModelLoader {

	private final Batching batching;

	private final InferenceMetrics metrics;

	public ModelLoader(InferenceProperties properties, InferenceMetrics metrics) {
		this.batching = properties.inference().batching();
		this.metrics = metrics;
	}

	public LoadedVersion load(String model, String version, Bundle bundle) {
		long start = System.nanoTime();
		Pair<MultiLayerNetwork, Normalizer> restored;
		try {
			restored = ModelSerializer.restoreMultiLayerNetworkAndNormalizer(bundle.modelFile().toFile(), false);
		}
		catch (IOException | RuntimeException ex) {
			throw new BundleException("Cannot restore the DL4J model of " + model + "/" + version + ": " + ex, ex);
		}
		MultiLayerNetwork network = restored.getFirst();
		DataNormalization normalizer = (DataNormalization) restored.getSecond();
		FeatureSchema schema = new FeatureSchema(bundle.signature());
		Batcher.Model compute;
		try {
			checkFits(model, version, network, schema);
			compute = modelCall(model, version, network, normalizer, schema.width());
			compute.compute(new float[schema.width()], 1);
			compute.compute(new float[schema.width() * batching.maxBatchRows()], batching.maxBatchRows());
		}
		catch (RuntimeException ex) {
			release(network);
			throw ex;
		}
		InferenceMetrics.VersionMeters meters = metrics.of(model, version);
		Batcher batcher = new Batcher(model + "/" + version, compute, batching.maxBatchRows(),
				batching.maxQueueDelay(), batching.queueCapacity(), meters::batch);
		Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
		metrics.loaded(model, loadTime);
		return new LoadedVersion(model, version, bundle.digest(), schema, batcher, compute, () -> release(network),
				loadTime);
	}

	/**
	 * The model call of a version: encoded rows in, class probabilities out, both row-major. A standardizing
	 * normalizer, the one the training pipeline writes, is applied in plain Java ({@link Standardization}); any other
	 * goes through ND4J.
	 */
	private static Batcher.Model modelCall(String model, String version, MultiLayerNetwork network,
			DataNormalization normalizer, int width) {
		if (normalizer instanceof NormalizerStandardize standardize) {
			Standardization standardization = Standardization.of(standardize, width, model + "/" + version);
			return (rows, count) -> output(network, null, standardization.apply(rows, count), count, width);
		}
		return (rows, count) -> output(network, normalizer, rows, count, width);
	}

	/**
	 * One call of the network. The whole call holds the network's lock (which {@code output()} takes anyway), the
	 * normalizer included: in DL4J 1.0.0-M2.1 a standardizing normalizer's {@code transform} writes its shared std array
	 * in place on every call ({@code StandardizeStrategy.filteredStd}), which callers on several threads (the naive
	 * benchmark endpoint's) must not do at once. The batcher's single thread never waits on it.
	 */
	private static float[] output(MultiLayerNetwork network, DataNormalization normalizer, float[] rows, int count,
			int width) {
		synchronized (network) {
			INDArray input = Nd4j.create(rows, new long[] { count, width }, 'c');
			if (normalizer != null) {
				normalizer.transform(input);
			}
			INDArray output = network.output(input, false);
			return output.reshape(output.length()).toFloatVector();
		}
	}

	/**
	 * Frees what an unloaded network holds off-heap: its parameters, and the workspaces of the calling thread (the
	 * batcher's dispatcher, which ran its outputs and ends). Not {@link MultiLayerNetwork#close()}: in DL4J 1.0.0-M2.1 it
	 * also calls {@code System.gc()} twice, two stop-the-world full collections (50-300 ms each on two busy cores) that
	 * stalled every request in flight at each version swap.
	 */
	static void release(MultiLayerNetwork network) {
		INDArray parameters = network.params();
		if (parameters != null && parameters.closeable()) {
			parameters.close();
		}
		MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
		for (MemoryWorkspace workspace : workspaces.getAllWorkspacesForCurrentThread()) {
			workspaces.destroyWorkspace(workspace);
		}
	}

	private static void checkFits(String model, String version, MultiLayerNetwork network, FeatureSchema schema) {
		int inputs = network.layerInputSize(0);
		int outputs = network.layerSize(network.getnLayers() - 1);
		int classes = schema.signature().output().classes() == null ? 1 : schema.classes().size();
		if (inputs != schema.width() || outputs != classes) {
			throw new BundleException("The network of " + model + "/" + version + " takes " + inputs
					+ " columns and gives " + outputs + ", but its signature encodes " + schema.width()
					+ " columns and names " + classes + " classes");
		}
	}

}
