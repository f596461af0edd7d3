package dev.flywheel.registry.run;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.flywheel.registry.mlflow.KeyValue;

/** MLflow's Run message: its info, its data (latest metrics, params, tags) and its inputs. */
public record Run(RunInfo info, RunData data, RunInputs inputs) {

	/** MLflow's RunInfo; {@code run_uuid} repeats {@code run_id} for old clients. */
	public record RunInfo(String runId, String runUuid, String runName, String experimentId, String userId,
			String status, Long startTime, Long endTime, String artifactUri, String lifecycleStage) {

		@JsonIgnore
		public boolean isActive() {
			return "active".equals(lifecycleStage);
		}

	}

	public record RunData(List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {

		public RunData {
			metrics = List.copyOf(metrics);
			params = List.copyOf(params);
			tags = List.copyOf(tags);
		}

	}

	/** A metric point; {@code value} may be NaN or infinite, which JSON carries as a string. */
	public record Metric(String key, double value, long timestamp, long step) {
	}

	public record RunInputs(List<Object> datasetInputs) {
	}

}
