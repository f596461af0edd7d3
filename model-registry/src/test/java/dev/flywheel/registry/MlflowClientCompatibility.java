package dev.flywheel.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ActiveRun;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowContext;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.RunsPage;

import dev.flywheel.registry.support.RegistryTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official {@code org.mlflow:mlflow-client} drives every tracking and registry call it offers against the
 * registry, and its {@code sendPost}/{@code sendGet}/{@code sendPatch} the registry writes it lacks; the DELETE
 * routes, which no Java client can call, go over plain HTTP as MLflow's Python client sends them (JSON body). Runs
 * once per database.
 */
abstract class MlflowClientCompatibility extends RegistryTestSupport {

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void defaultExperimentExistsAndTakesRuns() {
		MlflowClient client = mlflow();
		Experiment defaultExperiment = client.getExperiment("0");
		assertThat(defaultExperiment.getName()).isEqualTo("Default");
		RunInfo run = client.createRun();
		assertThat(run.getExperimentId()).isEqualTo("0");
		assertThat(run.getArtifactUri()).isEqualTo("mlflow-artifacts:/0/" + run.getRunId() + "/artifacts");
		assertThat(run.getRunUuid()).isEqualTo(run.getRunId());
		assertThat(run.getStatus()).isEqualTo(RunStatus.RUNNING);
		assertThat(run.getRunName()).isNotBlank();
	}

	@Test
	void experimentsLifecycle() {
		MlflowClient client = mlflow();
		String name = unique("exp");
		String id = client.createExperiment(CreateExperiment.newBuilder()
			.setName(name)
			.addTags(ExperimentTag.newBuilder().setKey("team").setValue("fraud"))
			.build());
		Experiment experiment = client.getExperiment(id);
		assertThat(experiment.getName()).isEqualTo(name);
		assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
		assertThat(experiment.getLifecycleStage()).isEqualTo("active");
		assertThat(experiment.getTagsList()).extracting(ExperimentTag::getKey).containsExactly("team");
		assertThat(client.getExperimentByName(name)).map(Experiment::getExperimentId).contains(id);
		assertThat(client.getExperimentByName(unique("missing"))).isEqualTo(Optional.empty());

		assertThatThrownBy(() -> client.createExperiment(name)).isInstanceOfSatisfying(MlflowHttpException.class,
				ex -> {
					assertThat(ex.getStatusCode()).isEqualTo(400);
					assertThat(ex.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
				});

		client.setExperimentTag(id, "team", "risk");
		assertThat(client.getExperiment(id).getTagsList()).extracting(ExperimentTag::getValue).containsExactly("risk");
		String renamed = unique("renamed");
		client.renameExperiment(id, renamed);
		assertThat(client.getExperiment(id).getName()).isEqualTo(renamed);

		client.deleteExperiment(id);
		assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
		assertThat(names(client.searchExperiments("name = '" + renamed + "'"))).isEmpty();
		assertThat(names(client.searchExperiments("name = '" + renamed + "'", ViewType.DELETED_ONLY, 10, List.of())))
			.containsExactly(renamed);
		client.restoreExperiment(id);
		assertThat(names(client.searchExperiments("name = '" + renamed + "'"))).containsExactly(renamed);
	}

	@Test
	void experimentSearchFiltersOrdersAndPages() {
		MlflowClient client = mlflow();
		String prefix = unique("page");
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			created.add(client.createExperiment(prefix + "-" + i));
		}
		ExperimentsPage first = client.searchExperiments("name LIKE '" + prefix + "%'", ViewType.ACTIVE_ONLY, 2,
				List.of("name DESC"));
		assertThat(names(first)).containsExactly(prefix + "-4", prefix + "-3");
		assertThat(first.hasNextPage()).isTrue();
		List<String> all = new ArrayList<>(names(first));
		ExperimentsPage page = first;
		while (page.hasNextPage()) {
			page = (ExperimentsPage) page.getNextPage();
			all.addAll(names(page));
		}
		assertThat(all).containsExactly(prefix + "-4", prefix + "-3", prefix + "-2", prefix + "-1", prefix + "-0");
		assertThat(created).hasSize(5);
	}

	@Test
	void runsLogMetricsParamsAndTags() {
		MlflowClient client = mlflow();
		String experimentId = client.createExperiment(unique("runs"));
		RunInfo info = client.createRun(CreateRun.newBuilder()
			.setExperimentId(experimentId)
			.setRunName("first")
			.setStartTime(1_700_000_000_000L)
			.addTags(RunTag.newBuilder().setKey("origin").setValue("test"))
			.build());
		String runId = info.getRunId();
		assertThat(info.getRunName()).isEqualTo("first");

		client.logParam(runId, "lr", "0.01");
		client.logParam(runId, "lr", "0.01");
		assertThatThrownBy(() -> client.logParam(runId, "lr", "0.02")).isInstanceOfSatisfying(
				MlflowHttpException.class, ex -> assertThat(ex.getBodyMessage()).contains("INVALID_PARAMETER_VALUE"));
		client.logMetric(runId, "loss", 0.9, 1_000, 0);
		client.logMetric(runId, "loss", 0.5, 2_000, 1);
		client.logMetric(runId, "loss", Double.NaN, 3_000, 2);
		client.logMetric(runId, "acc", 0.75);
		client.setTag(runId, "stage", "dev");
		client.setTag(runId, "stage", "prod");
		client.logBatch(runId,
				List.of(Metric.newBuilder().setKey("acc").setValue(0.8).setTimestamp(5_000).setStep(3).build(),
						Metric.newBuilder().setKey("f1").setValue(Double.POSITIVE_INFINITY).setTimestamp(5_000).build()),
				List.of(Param.newBuilder().setKey("epochs").setValue("10").build()),
				List.of(RunTag.newBuilder().setKey("doomed").setValue("x").build()));
		client.deleteTag(runId, "doomed");
		assertThatThrownBy(() -> client.deleteTag(runId, "doomed")).isInstanceOfSatisfying(MlflowHttpException.class,
				ex -> assertThat(ex.getStatusCode()).isEqualTo(404));

		Run run = client.getRun(runId);
		assertThat(run.getData().getParamsList()).extracting(Param::getKey, Param::getValue)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("lr", "0.01"),
					org.assertj.core.groups.Tuple.tuple("epochs", "10"));
		assertThat(run.getData().getTagsList()).extracting(RunTag::getKey)
			.contains("origin", "stage", "mlflow.runName")
			.doesNotContain("doomed");
		assertThat(run.getData().getTagsList()).filteredOn(t -> t.getKey().equals("stage"))
			.extracting(RunTag::getValue)
			.containsExactly("prod");
		Metric loss = metric(run, "loss");
		assertThat(loss.getStep()).isEqualTo(2);
		assertThat(loss.getValue()).isNaN();
		assertThat(metric(run, "acc").getValue()).isEqualTo(0.8);
		assertThat(metric(run, "f1").getValue()).isInfinite();

		List<Metric> history = client.getMetricHistory(runId, "loss");
		assertThat(history).extracting(Metric::getStep).containsExactly(0L, 1L, 2L);
		assertThat(history.get(1).getValue()).isEqualTo(0.5);

		client.setTerminated(runId, RunStatus.FINISHED, 1_700_000_100_000L);
		RunInfo finished = client.getRun(runId).getInfo();
		assertThat(finished.getStatus()).isEqualTo(RunStatus.FINISHED);
		assertThat(finished.getEndTime()).isEqualTo(1_700_000_100_000L);

		client.deleteRun(runId);
		assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
		assertThatThrownBy(() -> client.logParam(runId, "other", "1")).isInstanceOf(MlflowHttpException.class);
		assertThat(client.listRunInfos(experimentId)).isEmpty();
		client.restoreRun(runId);
		assertThat(client.listRunInfos(experimentId)).extracting(RunInfo::getRunId).containsExactly(runId);
	}

	@Test
	void runSearchUnderstandsTheFilterLanguage() {
		MlflowClient client = mlflow();
		String experimentId = client.createExperiment(unique("search"));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String runId = client.createRun(experimentId).getRunId();
			client.logMetric(runId, "acc", 0.5 + i * 0.1, 1_000, 0);
			client.logParam(runId, "lr", i % 2 == 0 ? "0.01" : "0.1");
			client.setTag(runId, "mlflow.user", "user" + i);
			ids.add(runId);
		}
		client.setTerminated(ids.get(3), RunStatus.FINISHED);
		List<String> exp = List.of(experimentId);

		assertThat(runIds(client.searchRuns(exp, "metrics.acc > 0.65"))).containsExactlyInAnyOrder(ids.get(2),
				ids.get(3));
		assertThat(runIds(client.searchRuns(exp, "params.lr = '0.01' and metrics.acc >= 0.5")))
			.containsExactlyInAnyOrder(ids.get(0), ids.get(2));
		assertThat(runIds(client.searchRuns(exp, "tags.`mlflow.user` LIKE 'user%' AND attributes.status = 'FINISHED'")))
			.containsExactly(ids.get(3));
		assertThat(runIds(client.searchRuns(exp, "attributes.run_id IN ('" + ids.get(1) + "', '" + ids.get(2) + "')")))
			.containsExactlyInAnyOrder(ids.get(1), ids.get(2));
		assertThat(runIds(client.searchRuns(exp, "params.lr != '0.01'"))).containsExactlyInAnyOrder(ids.get(1),
				ids.get(3));

		RunsPage ordered = client.searchRuns(exp, "", ViewType.ACTIVE_ONLY, 3, List.of("metrics.acc DESC"));
		assertThat(ordered.getItems()).extracting(r -> r.getInfo().getRunId())
			.containsExactly(ids.get(3), ids.get(2), ids.get(1));
		assertThat(ordered.hasNextPage()).isTrue();
		RunsPage next = (RunsPage) ordered.getNextPage();
		assertThat(next.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(ids.get(0));
		assertThat(next.hasNextPage()).isFalse();

		assertThatThrownBy(() -> client.searchRuns(exp, "metrics.acc >")).isInstanceOfSatisfying(
				MlflowHttpException.class, ex -> {
					assertThat(ex.getStatusCode()).isEqualTo(400);
					assertThat(ex.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
				});
	}

	@Test
	void modelRegistryThroughTheClientAndItsRawCalls() {
		MlflowClient client = mlflow();
		String model = unique("model");
		String runId = client.createRun().getRunId();
		client.sendPost("registered-models/create",
				"{\"name\":\"" + model + "\",\"description\":\"fraud\",\"tags\":[{\"key\":\"team\",\"value\":\"ml\"}]}");
		assertThatThrownBy(() -> client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}"))
			.isInstanceOfSatisfying(MlflowHttpException.class,
					ex -> assertThat(ex.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS"));
		for (int i = 1; i <= 3; i++) {
			client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + runId
					+ "/model\",\"run_id\":\"" + runId + "\",\"description\":\"v" + i + "\"}");
		}
		ModelVersion second = client.getModelVersion(model, "2");
		assertThat(second.getVersion()).isEqualTo("2");
		assertThat(second.getStatus().name()).isEqualTo("READY");
		assertThat(second.getCurrentStage()).isEqualTo("None");
		assertThat(client.getModelVersionDownloadUri(model, "2"))
			.isEqualTo("mlflow-artifacts:/0/" + runId + "/artifacts/model");

		client.sendPost("model-versions/transition-stage", "{\"name\":\"" + model
				+ "\",\"version\":\"1\",\"stage\":\"production\",\"archive_existing_versions\":false}");
		client.sendPost("model-versions/transition-stage", "{\"name\":\"" + model
				+ "\",\"version\":\"2\",\"stage\":\"Production\",\"archive_existing_versions\":true}");
		client.sendPost("model-versions/transition-stage", "{\"name\":\"" + model
				+ "\",\"version\":\"3\",\"stage\":\"Staging\",\"archive_existing_versions\":false}");
		assertThat(client.getModelVersion(model, "1").getCurrentStage()).isEqualTo("Archived");
		assertThat(client.getLatestVersions(model, List.of("Production"))).extracting(ModelVersion::getVersion)
			.containsExactly("2");
		assertThat(client.getLatestVersions(model)).extracting(ModelVersion::getCurrentStage)
			.containsExactly("Staging", "Production", "Archived");

		client.sendPost("registered-models/alias",
				"{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"2\"}");
		client.sendPost("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"challenger\",\"version\":3}");
		String byAlias = client.sendGet("registered-models/alias?name=" + model + "&alias=champion");
		assertThat(byAlias).contains("\"version\":\"2\"").contains("champion");
		assertThatThrownBy(() -> client.sendGet("registered-models/alias?name=" + model + "&alias=nobody"))
			.isInstanceOfSatisfying(MlflowHttpException.class, ex -> {
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("not found");
			});

		RegisteredModel registered = client.getRegisteredModel(model);
		assertThat(registered.getDescription()).isEqualTo("fraud");
		assertThat(registered.getAliasesList()).extracting(a -> a.getAlias() + "=" + a.getVersion())
			.containsExactlyInAnyOrder("champion=2", "challenger=3");
		assertThat(registered.getLatestVersionsList()).hasSize(3);

		client.sendPatch("registered-models/update", "{\"name\":\"" + model + "\",\"description\":\"updated\"}");
		client.sendPatch("model-versions/update",
				"{\"name\":\"" + model + "\",\"version\":\"3\",\"description\":\"best\"}");
		client.sendPost("model-versions/set-tag",
				"{\"name\":\"" + model + "\",\"version\":\"3\",\"key\":\"flywheel.digest\",\"value\":\"d3\"}");
		client.sendPost("registered-models/set-tag", "{\"name\":\"" + model + "\",\"key\":\"owner\",\"value\":\"me\"}");
		assertThat(client.getRegisteredModel(model).getDescription()).isEqualTo("updated");
		ModelVersion third = client.getModelVersion(model, "3");
		assertThat(third.getDescription()).isEqualTo("best");
		assertThat(third.getAliasesList()).containsExactly("challenger");
		assertThat(third.getTagsList()).extracting(t -> t.getKey() + "=" + t.getValue())
			.containsExactly("flywheel.digest=d3");

		ModelVersionsPage versions = client.searchModelVersions("name = '" + model + "'", 2, List.of());
		assertThat(versions.getItems()).extracting(ModelVersion::getVersion).containsExactly("3", "2");
		assertThat(versions.hasNextPage()).isTrue();
		assertThat(((ModelVersionsPage) versions.getNextPage()).getItems()).extracting(ModelVersion::getVersion)
			.containsExactly("1");
		assertThat(client.searchModelVersions("run_id = '" + runId + "'").getItems()).hasSize(3);
		assertThat(client.sendGet("registered-models/search?filter=" + encode("name LIKE '" + model + "%'")))
			.contains(model);

		String renamed = unique("renamed");
		client.sendPost("registered-models/rename", "{\"name\":\"" + model + "\",\"new_name\":\"" + renamed + "\"}");
		assertThat(client.getModelVersion(renamed, "3").getAliasesList()).containsExactly("challenger");
		assertThatThrownBy(() -> client.getRegisteredModel(model)).isInstanceOfSatisfying(MlflowHttpException.class,
				ex -> assertThat(ex.getStatusCode()).isEqualTo(404));
	}

	@Test
	void deleteRoutesTakeJsonBodiesAsPythonSendsThem() {
		MlflowClient client = mlflow();
		String model = unique("deletable");
		client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/m1\"}");
		client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/m2\"}");
		client.sendPost("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"1\"}");
		client.sendPost("model-versions/set-tag",
				"{\"name\":\"" + model + "\",\"version\":\"2\",\"key\":\"k\",\"value\":\"v\"}");
		client.sendPost("registered-models/set-tag", "{\"name\":\"" + model + "\",\"key\":\"k\",\"value\":\"v\"}");

		assertThat(send("DELETE", "/api/2.0/mlflow/model-versions/delete-tag",
				"{\"name\":\"" + model + "\",\"version\":\"2\",\"key\":\"k\"}").statusCode()).isEqualTo(200);
		assertThat(send("DELETE", "/api/2.0/mlflow/registered-models/delete-tag",
				"{\"name\":\"" + model + "\",\"key\":\"k\"}").statusCode()).isEqualTo(200);
		assertThat(client.getModelVersion(model, "2").getTagsList()).isEmpty();
		assertThat(client.getRegisteredModel(model).getTagsList()).isEmpty();

		assertThat(send("DELETE", "/api/2.0/mlflow/registered-models/alias?name=" + model + "&alias=champion", null)
			.statusCode()).isEqualTo(200);
		assertThat(client.getModelVersion(model, "1").getAliasesList()).isEmpty();
		client.sendPost("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"1\"}");
		assertThat(send("DELETE", "/api/2.0/mlflow/model-versions/delete", "{\"name\":\"" + model + "\",\"version\":\"1\"}")
			.statusCode()).isEqualTo(200);
		assertThat(client.getRegisteredModel(model).getAliasesList()).isEmpty();
		assertThatThrownBy(() -> client.getModelVersion(model, "1")).isInstanceOfSatisfying(MlflowHttpException.class,
				ex -> assertThat(ex.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST"));

		client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/m3\"}");
		assertThat(client.getModelVersion(model, "3").getVersion()).as("numbers are never reused").isEqualTo("3");
		assertThat(send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\":\"" + model + "\"}")
			.statusCode()).isEqualTo(200);
		assertThatThrownBy(() -> client.getRegisteredModel(model)).isInstanceOf(MlflowHttpException.class);
	}

	@Test
	void mlflowContextFindsItsExperimentByNameAndRecordsNestedRuns() {
		String experimentName = unique("context");
		String experimentId = mlflow().createExperiment(experimentName);
		MlflowContext context = new MlflowContext(mlflow()).setExperimentName(experimentName);
		MlflowClient client = context.getClient();
		assertThat(context.getExperimentId()).isEqualTo(experimentId);
		assertThatThrownBy(() -> new MlflowContext(mlflow()).setExperimentName(unique("missing")))
			.as("the client's own answer to a 404 from get-by-name")
			.isInstanceOf(IllegalArgumentException.class);
		ActiveRun parent = context.startRun("parent");
		parent.logParams(java.util.Map.of("epochs", "3", "seed", "42"));
		parent.setTags(java.util.Map.of("dataset", "iris"));
		for (int epoch = 0; epoch < 3; epoch++) {
			parent.logMetrics(java.util.Map.of("loss", 1.0 / (epoch + 1), "accuracy", 0.8 + epoch * 0.05), epoch);
		}
		ActiveRun child = context.startRun("child", parent.getId());
		child.logMetric("fold_accuracy", 0.9);
		child.endRun();
		assertThat(parent.getArtifactUri()).endsWith("/" + parent.getId() + "/artifacts");
		parent.endRun();

		Run parentRun = client.getRun(parent.getId());
		assertThat(parentRun.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
		assertThat(parentRun.getInfo().getRunName()).isEqualTo("parent");
		assertThat(metric(parentRun, "loss").getStep()).isEqualTo(2);
		assertThat(client.getMetricHistory(parent.getId(), "accuracy")).hasSize(3);
		assertThat(client.getRun(child.getId()).getData().getTagsList())
			.anySatisfy(tag -> assertThat(tag.getKey() + "=" + tag.getValue())
				.isEqualTo("mlflow.parentRunId=" + parent.getId()));
		assertThat(runIds(client.searchRuns(List.of(context.getExperimentId()),
				"tags.mlflow.parentRunId = '" + parent.getId() + "'")))
			.containsExactly(child.getId());
	}

	private static Metric metric(Run run, String key) {
		return run.getData().getMetricsList().stream().filter(m -> m.getKey().equals(key)).findFirst().orElseThrow();
	}

	private static Set<String> runIds(List<RunInfo> runs) {
		return runs.stream().map(RunInfo::getRunId).collect(Collectors.toSet());
	}

	private static List<String> names(ExperimentsPage page) {
		return page.getItems().stream().map(Experiment::getName).toList();
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
