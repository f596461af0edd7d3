package dev.flywheel.inference.serving;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.Signature.Input;
import dev.flywheel.inference.batching.Batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServedModelTests {

	private static final FeatureSchema SCHEMA = new FeatureSchema(new Signature(List.of(Input.numeric("x")),
			Signature.Output.classification(List.of("a", "b"))));

	private final ServedModel model = new ServedModel("iris", List.of("champion", "challenger"), List.of("7"));

	@Test
	void aRequestWithoutVersionGetsTheChampionAndOthersByAliasOrNumber() {
		LoadedVersion one = version("1");
		LoadedVersion two = version("2");
		model.publish(new ServedModel.Snapshot(Map.of("champion", one, "challenger", two), Map.of("1", one, "2", two)));

		assertThat(acquireAndRelease(null)).isSameAs(one);
		assertThat(acquireAndRelease("champion")).isSameAs(one);
		assertThat(acquireAndRelease("challenger")).isSameAs(two);
		assertThat(acquireAndRelease("2")).isSameAs(two);
		assertThat(model.isReady()).isTrue();
	}

	@Test
	void anUnservedVersionIs404NamingWhatIsServedAndAConfiguredOneNotLoadedYetIs503() {
		LoadedVersion one = version("1");
		model.publish(new ServedModel.Snapshot(Map.of("champion", one), Map.of("1", one)));

		assertThatThrownBy(() -> model.acquire("3")).isInstanceOfSatisfying(InferenceException.class, ex -> {
			assertThat(ex.status().value()).isEqualTo(404);
			assertThat(ex.getMessage()).contains("'3'", "1 (champion)");
		});
		assertThatThrownBy(() -> model.acquire("challenger")).isInstanceOfSatisfying(InferenceException.class,
				ex -> assertThat(ex.status().value()).isEqualTo(503));
		assertThatThrownBy(() -> model.acquire("7")).isInstanceOfSatisfying(InferenceException.class,
				ex -> assertThat(ex.status().value()).isEqualTo(503));
	}

	@Test
	void aSwappedOutVersionStaysLoadedUntilItsLastRequestIsAnsweredThenUnloads() {
		AtomicBoolean oneClosed = new AtomicBoolean();
		LoadedVersion one = version("1", oneClosed);
		LoadedVersion two = version("2");
		model.publish(new ServedModel.Snapshot(Map.of("champion", one), Map.of("1", one)));
		LoadedVersion inFlight = model.acquire(null);

		model.publish(new ServedModel.Snapshot(Map.of("champion", two), Map.of("2", two)));

		assertThat(acquireAndRelease(null)).isSameAs(two);
		assertThat(model.versionsInMemory()).isEqualTo(2);
		assertThat(one.isUnloaded()).isFalse();
		inFlight.release();
		await().untilTrue(oneClosed);
		await().until(one::isUnloaded);
		assertThat(model.versionsInMemory()).isEqualTo(1);
	}

	@Test
	void aVersionKeptAcrossASwapIsNotUnloaded() {
		LoadedVersion one = version("1");
		LoadedVersion two = version("2");
		model.publish(new ServedModel.Snapshot(Map.of("champion", one, "challenger", two), Map.of("1", one, "2", two)));

		model.publish(new ServedModel.Snapshot(Map.of("champion", two), Map.of("2", two)));

		assertThat(two.isUnloaded()).isFalse();
		assertThat(acquireAndRelease(null)).isSameAs(two);
		await().until(one::isUnloaded);
	}

	@Test
	void describesWhatIsServedInVersionOrder() {
		LoadedVersion two = version("2");
		LoadedVersion ten = version("10");
		assertThat(ServedModel.describe(new ServedModel.Snapshot(Map.of("champion", ten, "challenger", two),
				Map.of("10", ten, "2", two)))).isEqualTo("2 (challenger), 10 (champion)");
		assertThat(ServedModel.describe(ServedModel.Snapshot.EMPTY)).isEqualTo("none yet");
	}

	private LoadedVersion acquireAndRelease(String versionOrAlias) {
		LoadedVersion version = model.acquire(versionOrAlias);
		version.release();
		return version;
	}

	private static LoadedVersion version(String number) {
		return version(number, new AtomicBoolean());
	}

	private static LoadedVersion version(String number, AtomicBoolean closed) {
		Batcher.Model identity = (rows, count) -> rows;
		Batcher batcher = new Batcher("iris/" + number, identity, 8, Duration.ZERO, 8, rows -> {
		});
		return new LoadedVersion("iris", number, "d".repeat(64), SCHEMA, batcher, identity, () -> closed.set(true),
				Duration.ZERO);
	}

}
