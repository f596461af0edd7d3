package dev.flywheel.training.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

import dev.flywheel.bundle.HeldOutMetrics;
import dev.flywheel.training.trainer.Trainer.EpochMetrics;

/**
 * One training run as MLflow records it, through the official {@link MlflowClient}: the whole spec as params, the
 * epochs as stepped metrics, the held-out metrics, and tags for the data, the spec and the code. The experiment is
 * named after the registered model.
 */
public final class RunLog {

	public static final String DATASET_DIGEST_TAG = "flywheel.dataset.digest";

	public static final String SPEC_DIGEST_TAG = "flywheel.spec.digest";

	public static final String GIT_COMMIT_TAG = "mlflow.source.git.commit";

	public static final String CODE_VERSION_TAG = "flywheel.code.version";

	private final MlflowClient client;

	private final String runId;

	private RunLog(MlflowClient client, String runId) {
		this.client = client;
		this.runId = runId;
	}

	public static RunLog start(MlflowClient client, String model, Map<String, String> tags) {
		String experimentId = client.getExperimentByName(model)
			.map(Experiment::getExperimentId)
			.orElseGet(() -> client.createExperiment(model));
		CreateRun.Builder run = CreateRun.newBuilder()
			.setExperimentId(experimentId)
			.setStartTime(System.currentTimeMillis())
			.setUserId(System.getProperty("user.name", "flywheel"));
		tags.forEach((key, value) -> run.addTags(RunTag.newBuilder().setKey(key).setValue(value)));
		run.addTags(RunTag.newBuilder().setKey("mlflow.source.type").setValue("JOB"));
		run.addTags(RunTag.newBuilder().setKey("mlflow.source.name").setValue("flywheel training-pipeline"));
		return new RunLog(client, client.createRun(run.build()).getRunId());
	}

	public String runId() {
		return runId;
	}

	public void params(Map<String, String> params) {
		List<Param> all = params.entrySet()
			.stream()
			.map(p -> Param.newBuilder().setKey(p.getKey()).setValue(truncate(p.getValue(), 6000)).build())
			.toList();
		for (int from = 0; from < all.size(); from += 100) {
			client.logBatch(runId, List.of(), all.subList(from, Math.min(all.size(), from + 100)), List.of());
		}
	}

	public void epochs(List<EpochMetrics> history) {
		long now = System.currentTimeMillis();
		List<Metric> metrics = new ArrayList<>();
		for (EpochMetrics epoch : history) {
			metrics.add(metric("train_loss", epoch.trainLoss(), now, epoch.epoch()));
			metrics.add(metric("validation_loss", epoch.validationLoss(), now, epoch.epoch()));
			metrics.add(metric("validation_accuracy", epoch.validationAccuracy(), now, epoch.epoch()));
		}
		for (int from = 0; from < metrics.size(); from += 999) {
			client.logBatch(runId, metrics.subList(from, Math.min(metrics.size(), from + 999)), List.of(), List.of());
		}
	}

	public void heldOut(HeldOutMetrics metrics) {
		long now = System.currentTimeMillis();
		List<Metric> values = metrics.values()
			.entrySet()
			.stream()
			.filter(m -> !m.getValue().isNaN())
			.map(m -> metric("test_" + m.getKey(), m.getValue(), now, 0))
			.toList();
		client.logBatch(runId, values, List.of(), List.of());
	}

	public void tag(String key, String value) {
		client.setTag(runId, key, truncate(value, 8000));
	}

	public void end(RunStatus status) {
		client.setTerminated(runId, status, System.currentTimeMillis());
	}

	private static Metric metric(String key, double value, long timestamp, long step) {
		return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
	}

	private static String truncate(String value, int limit) {
		return value.length() <= limit ? value : value.substring(0, limit);
	}

}
