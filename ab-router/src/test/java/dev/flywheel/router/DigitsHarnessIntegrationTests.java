package dev.flywheel.router;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.router.support.DigitsModels;
import dev.flywheel.router.support.DigitsRows;
import dev.flywheel.router.support.DigitsStack;
import dev.flywheel.router.support.InferenceClient;
import dev.flywheel.router.support.InferenceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The harness of the router's end-to-end test, on real services: the packaged registry, two versions of
 * {@code digits} trained by the packaged training job on the real dataset, and the packaged inference service serving
 * both. Both versions answer on the Open Inference Protocol and on the plain API, the champion is the weak one, and
 * on the dataset's first 300 rows the strong version is clearly the more accurate. The inference process survives
 * SIGKILL and a restart, and a start that fails shows the service's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DigitsHarnessIntegrationTests {

	private static final int ROWS = 300;

	@TempDir
	static Path home;

	private static DigitsStack stack;

	private static long startedAt;

	@BeforeAll
	static void start() throws Exception {
		startedAt = System.nanoTime();
		stack = DigitsStack.start(home, Map.of());
		DigitsModels.Trained models = stack.models();
		System.out.printf("Digits harness: %s (weak version %s: %.4f held-out accuracy in %d ms; strong version %s: "
				+ "%.4f in %d ms)%n", stack.timings(), models.weak().version(), models.weak().accuracy(),
				models.weak().trainingTime().toMillis(), models.strong().version(), models.strong().accuracy(),
				models.strong().trainingTime().toMillis());
	}

	@AfterAll
	static void stop() throws Exception {
		if (stack != null) {
			stack.close();
		}
		System.out.printf("Digits harness: the whole class took %d ms%n", (System.nanoTime() - startedAt) / 1_000_000);
	}

	@Test
	void theWeakVersionIsTheChampionAndTheStrongOneTheChallenger() {
		DigitsModels.Trained models = stack.models();
		assertThat(models.model()).isEqualTo("digits");
		assertThat(models.weak().version()).isNotEqualTo(models.strong().version());
		assertThat(models.weak().accuracy()).isBetween(0.4, 0.85);
		assertThat(models.strong().accuracy()).isGreaterThan(0.93);
		RegistryClient registry = new RegistryClient(URI.create(stack.registryUrl()), null, Duration.ofSeconds(10));
		assertThat(registry.find("digits", "champion")).hasValueSatisfying(
				v -> assertThat(v.version()).isEqualTo(models.weak().version()));
		assertThat(registry.find("digits", "challenger")).hasValueSatisfying(
				v -> assertThat(v.version()).isEqualTo(models.strong().version()));
	}

	@Test
	void bothVersionsAnswerOnBothApisAndTheChampionIsTheWeakOne() {
		InferenceClient inference = stack.inferenceClient();
		List<DigitsRows.Row> rows = DigitsRows.first(5);
		for (String version : List.of(stack.models().weak().version(), stack.models().strong().version())) {
			InferenceClient.Predictions oip = inference.infer("digits", version, rows);
			assertThat(oip.version()).isEqualTo(version);
			assertThat(oip.labels()).hasSize(rows.size());
			InferenceClient.Predictions plain = inference.predict("digits", version, rows);
			assertThat(plain.version()).isEqualTo(version);
			assertThat(plain.labels()).isEqualTo(oip.labels());
		}
		assertThat(inference.predict("digits", null, rows).version()).isEqualTo(stack.models().weak().version());
		assertThat(inference.predict("digits", "champion", rows).version()).isEqualTo(stack.models().weak().version());
		assertThat(inference.predict("digits", "challenger", rows).version())
			.isEqualTo(stack.models().strong().version());
	}

	@Test
	void theStrongVersionIsClearlyMoreAccurateOnTheFirstRows() {
		InferenceClient inference = stack.inferenceClient();
		List<DigitsRows.Row> rows = DigitsRows.first(ROWS);
		long started = System.nanoTime();
		double weak = DigitsRows.accuracy(rows,
				inference.predict("digits", stack.models().weak().version(), rows).labels());
		double strong = DigitsRows.accuracy(rows,
				inference.predict("digits", stack.models().strong().version(), rows).labels());
		System.out.printf("Digits harness: accuracy on the first %d rows: weak %.4f, strong %.4f (%d ms)%n", ROWS, weak,
				strong, (System.nanoTime() - started) / 1_000_000);
		assertThat(strong).isGreaterThan(0.93);
		assertThat(strong - weak).isGreaterThan(0.15);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void afterSigkillTheRestartedServiceServesBothVersionsAgain() throws Exception {
		InferenceProcess process = stack.inference();
		process.kill();
		assertThat(process.isAlive()).isFalse();
		long started = System.nanoTime();
		process.restart();
		System.out.printf("Digits harness: restart after SIGKILL ready in %d ms%n",
				(System.nanoTime() - started) / 1_000_000);
		List<DigitsRows.Row> rows = DigitsRows.first(3);
		assertThat(stack.inferenceClient().predict("digits", "champion", rows).version())
			.isEqualTo(stack.models().weak().version());
		assertThat(stack.inferenceClient().infer("digits", stack.models().strong().version(), rows).version())
			.isEqualTo(stack.models().strong().version());
	}

	@Test
	void aServiceThatCannotStartFailsWithItsLog() {
		assertThatIllegalStateException()
			.isThrownBy(() -> InferenceProcess.start(home.resolve("broken"), stack.registryUrl(), DigitsModels.MODEL,
					Map.of("flywheel.registry.timeout", "not-a-duration")))
			.withMessageContaining("exited")
			.withMessageContaining("not-a-duration");
	}

	@Test
	void rowsReadInFileOrderAndShuffleDeterministically() {
		List<DigitsRows.Row> rows = DigitsRows.all();
		assertThat(rows).hasSize(1797);
		assertThat(rows.get(0).features()).hasSize(64).containsEntry("pixel_2", 5);
		assertThat(rows.get(0).label()).isEqualTo("0");
		assertThat(DigitsRows.shuffled(7)).isEqualTo(DigitsRows.shuffled(7)).isNotEqualTo(rows)
			.containsExactlyInAnyOrderElementsOf(rows);
	}

}
