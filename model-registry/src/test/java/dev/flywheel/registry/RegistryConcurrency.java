package dev.flywheel.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelAlias;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

import org.springframework.http.codec.ServerSentEvent;

import dev.flywheel.registry.support.AnswerLosingProxy;
import dev.flywheel.registry.support.EventStreamReader;
import dev.flywheel.registry.support.RegistryTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Concurrent writers and retrying clients: version numbers without gaps or duplicates, alias moves that leave one
 * consistent state, and retries of requests whose answers were lost that change nothing twice. Runs once per
 * database.
 */
abstract class RegistryConcurrency extends RegistryTestSupport {

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void sixteenParallelCreatesGetVersionsOneToSixteen() throws Exception {
		String model = unique("parallel");
		mlflow().sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		List<String> versions = inParallel(16, i -> {
			String body = mlflow().sendPost("model-versions/create",
					"{\"name\":\"" + model + "\",\"source\":\"s3://bucket/model-" + i + "\"}");
			return body.replaceAll(".*\"version\":\"(\\d+)\".*", "$1");
		});
		assertThat(versions.stream().map(Long::parseLong).sorted().toList())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 16).boxed().toList());
		for (int v = 1; v <= 16; v++) {
			ModelVersion version = mlflow().getModelVersion(model, String.valueOf(v));
			assertThat(version.getSource()).startsWith("s3://bucket/model-");
		}
		assertThat(mlflow().searchModelVersions("name = '" + model + "'").getItems()).hasSize(16);
	}

	@Test
	void parallelAliasMovesLeaveAConsistentState() throws Exception {
		String model = unique("aliases");
		MlflowClient client = mlflow();
		client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		for (int i = 1; i <= 4; i++) {
			client.sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/" + i
					+ "\",\"tags\":[{\"key\":\"flywheel.digest\",\"value\":\"digest-" + i + "\"}]}");
		}
		long before = lastEventId();
		List<String> aliases = List.of("champion", "challenger");
		List<Integer> moves = inParallel(8, worker -> {
			Random random = new Random(worker);
			MlflowClient own = mlflow();
			for (int move = 0; move < 15; move++) {
				String alias = aliases.get(random.nextInt(aliases.size()));
				int version = 1 + random.nextInt(4);
				own.sendPost("registered-models/alias",
						"{\"name\":\"" + model + "\",\"alias\":\"" + alias + "\",\"version\":\"" + version + "\"}");
			}
			return 15;
		});
		int total = moves.stream().mapToInt(Integer::intValue).sum();

		RegisteredModel registered = client.getRegisteredModel(model);
		assertThat(registered.getAliasesList()).extracting(RegisteredModelAlias::getAlias)
			.containsExactlyInAnyOrderElementsOf(aliases);
		Map<String, String> current = new HashMap<>();
		for (RegisteredModelAlias alias : registered.getAliasesList()) {
			current.put(alias.getAlias(), alias.getVersion());
			ModelVersion target = client.getModelVersion(model, alias.getVersion());
			assertThat(target.getAliasesList()).contains(alias.getAlias());
			assertThat(client.sendGet("registered-models/alias?name=" + model + "&alias=" + alias.getAlias()))
				.contains("\"version\":\"" + alias.getVersion() + "\"");
		}
		int pointing = 0;
		for (int v = 1; v <= 4; v++) {
			pointing += client.getModelVersion(model, String.valueOf(v)).getAliasesCount();
		}
		assertThat(pointing).as("each alias points at exactly one version").isEqualTo(aliases.size());

		List<ServerSentEvent<Map<String, Object>>> events = EventStreamReader.read(baseUrl(), before, total,
				Duration.ofSeconds(30));
		assertThat(events).hasSize(total);
		List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
		assertThat(ids).isSorted().doesNotHaveDuplicates();
		Map<String, String> lastEvent = new HashMap<>();
		for (ServerSentEvent<Map<String, Object>> event : events) {
			assertThat(event.event()).isEqualTo("model_version.alias_set");
			Map<String, Object> data = event.data();
			assertThat(data.get("digest")).isEqualTo("digest-" + data.get("version"));
			lastEvent.put((String) data.get("alias"), (String) data.get("version"));
		}
		assertThat(lastEvent).as("the last event of each alias is where it points").isEqualTo(current);
	}

	@Test
	void retriedVersionCreateAfterALostAnswerRegistersOnce() throws Exception {
		String model = unique("retried");
		mlflow().sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		try (AnswerLosingProxy proxy = new AnswerLosingProxy(baseUrl(), "/model-versions/create", 2)) {
			MlflowClient throughProxy = new MlflowClient(proxy.url());
			String answer = throughProxy.sendPost("model-versions/create",
					"{\"name\":\"" + model + "\",\"source\":\"s3://b/only\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
			assertThat(proxy.forwarded()).as("the client sent the request three times").isEqualTo(3);
			assertThat(answer).contains("\"version\":\"1\"");
		}
		assertThat(mlflow().searchModelVersions("name = '" + model + "'").getItems()).hasSize(1);
		String next = mlflow().sendPost("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://b/other\"}");
		assertThat(next).as("no number was burnt by the retries").contains("\"version\":\"2\"");
	}

	@Test
	void retriedLoggingAfterALostAnswerStoresEachPointOnce() throws Exception {
		String runId = mlflow().createRun().getRunId();
		try (AnswerLosingProxy proxy = new AnswerLosingProxy(baseUrl(), "/runs/log-batch", 2)) {
			MlflowClient throughProxy = new MlflowClient(proxy.url());
			throughProxy.logBatch(runId,
					List.of(Metric.newBuilder().setKey("loss").setValue(0.5).setTimestamp(10).setStep(1).build(),
							Metric.newBuilder().setKey("loss").setValue(0.4).setTimestamp(20).setStep(2).build()),
					List.of(org.mlflow.api.proto.Service.Param.newBuilder().setKey("lr").setValue("0.1").build()),
					List.of());
			assertThat(proxy.forwarded()).isEqualTo(3);
		}
		assertThat(mlflow().getMetricHistory(runId, "loss")).extracting(Metric::getStep).containsExactly(1L, 2L);
		assertThat(mlflow().getRun(runId).getData().getParamsList()).hasSize(1);
	}

	@Test
	void retriedExperimentCreateAfterALostAnswerLeavesOneExperiment() throws Exception {
		String name = unique("once");
		try (AnswerLosingProxy proxy = new AnswerLosingProxy(baseUrl(), "/experiments/create", 1)) {
			MlflowClient throughProxy = new MlflowClient(proxy.url());
			assertThatThrownBy(() -> throughProxy.createExperiment(name))
				.as("the retry finds the experiment the lost answer created, as with MLflow's server")
				.isInstanceOfSatisfying(MlflowHttpException.class,
						ex -> assertThat(ex.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS"));
		}
		assertThat(mlflow().searchExperiments("name = '" + name + "'").getItems()).hasSize(1);
	}

	private long lastEventId() {
		List<ServerSentEvent<Map<String, Object>>> all = EventStreamReader.readFor(baseUrl(), 0, Duration.ofSeconds(1));
		return all.isEmpty() ? 0 : Long.parseLong(all.get(all.size() - 1).id());
	}

	private static <T> List<T> inParallel(int workers, ThrowingFunction<T> work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(workers);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < workers; i++) {
				int worker = i;
				Callable<T> task = () -> {
					start.await();
					return work.apply(worker);
				};
				futures.add(pool.submit(task));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@FunctionalInterface
	interface ThrowingFunction<T> {

		T apply(int worker) throws Exception;

	}

}
